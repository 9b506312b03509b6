package io.tapio.cli;

import io.tapio.ebpf.capture.CaptureFormatException;
import io.tapio.ebpf.collector.MissingRequirementException;
import io.tapio.ebpf.libbpf.BpfException;
import io.tapio.ebpf.libbpf.MissingLibbpfException;
import io.tapio.local.CannotResumeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tapio} command line. */
@Command(
        name = "tapio",
        mixinStandardHelpOptions = true,
        version = "tapio 0.1.0",
        description = "Kernel-level performance observability for Kubernetes nodes, on Apache Flink.",
        subcommands = {
            RunCommand.class,
            CheckCommand.class,
            RecordCommand.class,
            BenchCommand.class,
            SqlCommand.class,
            RegressCommand.class,
            MaintainCommand.class,
            AgentCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Tapio {
    /** Exit code for a usage error or a missing requirement: Tapio cannot tell anything. */
    static final int CANNOT_RUN = 2;

    public static void main(String[] args) {
        CommandLine cli = commandLine();
        int exit = cli.execute(args);
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(exit);
    }

    static CommandLine commandLine() {
        return new CommandLine(new Tapio()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof MissingRequirementException
                    || e instanceof MissingLibbpfException
                    || e instanceof BpfException
                    || e instanceof CaptureFormatException
                    || e instanceof CannotResumeException
                    || e instanceof IllegalArgumentException) {
                cmd.getErr().println("tapio: " + e.getMessage());
                return CANNOT_RUN;
            }
            throw e;
        });
    }
}
