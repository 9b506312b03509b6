package io.tapio.deploy;

import io.fabric8.kubernetes.api.model.Container;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CronJob's container runs, in one of the two forms the manifests use: Flink's client
 * submitting a Tapio command to a session cluster ({@code flink run ... --class C JAR ARGS}),
 * or a JVM running a Tapio command in the pod ({@code java @OPTIONS -cp CP C ARGS}).
 *
 * @param flinkProperties the {@code -Dkey=value} given to Flink's client (empty for java)
 */
record CronCommand(
        String mainClass, String classPath, List<String> tapioArguments, Map<String, String> flinkProperties) {

    static CronCommand of(Container container) {
        List<String> command = container.getCommand();
        if (command.getFirst().endsWith("/flink") && command.get(1).equals("run")) {
            Map<String, String> properties = new HashMap<>();
            String mainClass = null;
            for (int i = 2; i < command.size(); i++) {
                String word = command.get(i);
                if (word.startsWith("-D")) {
                    String[] kv = word.substring(2).split("=", 2);
                    properties.put(kv[0], kv[1]);
                } else if (word.equals("--class") || word.equals("-c")) {
                    mainClass = command.get(++i);
                } else if (word.equals("--target") || word.equals("-t")) {
                    properties.put("execution.target", command.get(++i));
                } else if (!word.startsWith("-")) {
                    return new CronCommand(mainClass, word, command.subList(i + 1, command.size()), properties);
                } else {
                    throw new AssertionError("an option of flink run these tests do not know: " + word);
                }
            }
            throw new AssertionError("flink run without a jar: " + command);
        }
        if (command.getFirst().equals("java")) {
            int cp = command.indexOf("-cp");
            return new CronCommand(
                    command.get(cp + 2), command.get(cp + 1), command.subList(cp + 3, command.size()), Map.of());
        }
        throw new AssertionError("neither 'flink run' nor 'java': " + command);
    }
}
