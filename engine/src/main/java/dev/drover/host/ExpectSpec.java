package dev.drover.host;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An {@code expect} run: a shell command whose output is watched for prompts, each answered from its list
 * in turn (a one-element list answers every time). {@code timeout} applies to each wait for a prompt.
 * Without {@code pty} it runs over plain pipes, and programs that read from /dev/tty directly (passwd, su)
 * do not see the answers; with {@code pty} it runs under script(1) (util-linux) in a terminal, and the
 * output has CR LF line ends and the terminal's echo.
 */
public record ExpectSpec(String command, List<Response> responses, Map<String, String> env, String chdir,
                         Duration timeout, boolean echo, boolean pty) {
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

    /** Plain pipes, no echo: what most prompts need. */
    public static ExpectSpec of(String command, List<Response> responses, Duration timeout) {
        return new ExpectSpec(command, responses, null, null, timeout, false, false);
    }

    public ExpectSpec withPty(boolean p) {
        return new ExpectSpec(command, responses, env, chdir, timeout, echo, p);
    }
}
