package io.tapio.enrich;

/** Finds the path of a live cgroup from its v2 id. Implementations are thread-safe. */
public interface CgroupLookup extends AutoCloseable {
    /** What a lookup learned about one id. */
    record Answer(String path, boolean gone) {
        /** Not found now, but it may be found later (an index not refreshed yet). */
        static final Answer NOT_YET = new Answer(null, false);
        /** No cgroup has this id any more, and none ever will: ids are not reused. */
        static final Answer GONE = new Answer(null, true);

        static Answer at(String path) {
            return new Answer(path, false);
        }

        public boolean found() {
            return path != null;
        }
    }

    /** The cgroup's path relative to the hierarchy's root ("/a/b"), or why there is none. */
    Answer find(long cgroupId);

    /** How it looks cgroups up, for the log. */
    String describe();

    @Override
    void close();
}
