package dev.drover.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An {@code expect} run: a shell command whose output is watched for prompts, each answered from its list
 * in turn (a one-element list answers every time). {@code timeout} applies to each wait for a prompt.
 * Runs over plain pipes: programs that read from /dev/tty directly will not see the answers.
 */
public record ExpectSpec(String command, List<Response> responses, Map<String, String> env, String chdir,
                         Duration timeout, boolean echo) {
    public record Response(String regex, List<String> answers) {
        public Response {
            answers = List.copyOf(answers);
        }
    }

    public ExpectSpec {
        responses = List.copyOf(responses);
        env = env == null ? Map.of() : Map.copyOf(env);
        if (timeout == null) timeout = Duration.ofSeconds(30);
    }
}
