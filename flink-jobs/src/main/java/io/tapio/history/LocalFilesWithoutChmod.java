package io.tapio.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * Hadoop's local file system ({@code file:}, with its checksum files), setting a file's
 * permissions through {@code java.nio} instead of a {@code chmod} process. Without Hadoop's
 * native library, which Tapio does not ship, Hadoop forks {@code chmod} for every file it
 * creates and for its checksum file: every commit of the history (a data file, a manifest, a
 * manifest list, a metadata file, the version hint) started about ten processes per table,
 * on the task's thread, and each was a process the eBPF source then saw on its own node.
 */
public final class LocalFilesWithoutChmod extends LocalFileSystem {
    /** Hadoop's setting that names the class of the {@code file:} scheme's file system. */
    static final String SCHEME_IMPL = "fs.file.impl";

    private static final PosixFilePermission[] BY_BIT = {
        PosixFilePermission.OTHERS_EXECUTE,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_READ
    };

    /** Made by Hadoop, through {@value #SCHEME_IMPL}. */
    public LocalFilesWithoutChmod() {
        super(new Raw());
    }

    /** The files themselves, under the checksums. */
    static final class Raw extends RawLocalFileSystem {
        @Override
        public void setPermission(Path path, FsPermission permission) throws IOException {
            if (permission.getStickyBit()) {
                // java.nio has no sticky bit; nothing Tapio writes asks for one.
                super.setPermission(path, permission);
                return;
            }
            Files.setPosixFilePermissions(pathToFile(path).toPath(), posix(permission.toShort()));
        }
    }

    static Set<PosixFilePermission> posix(short mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int bit = 0; bit < BY_BIT.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(BY_BIT[bit]);
            }
        }
        return set;
    }
}
