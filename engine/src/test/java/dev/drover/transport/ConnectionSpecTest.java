package dev.drover.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.error.UserError;
import dev.drover.transport.ConnectionSpec.HostKeyPolicy;
import dev.drover.transport.ConnectionSpec.JumpHost;
import dev.drover.transport.ConnectionSpec.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionSpecTest {
    @TempDir Path home;

    private Options opts() {
        return new Options(null, null, null, null, null, home, "ops");
    }

    @Test
    void defaultsWithNoVariables() throws IOException {
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/id_rsa"), "x");
        Files.writeString(home.resolve(".ssh/id_ed25519"), "x");
        ConnectionSpec s = ConnectionSpec.fromVars("db1", Map.of(), opts());
        assertThat(s.host()).isEqualTo("db1");
        assertThat(s.address()).isEqualTo("db1");
        assertThat(s.port()).isEqualTo(22);
        assertThat(s.user()).isEqualTo("ops");
        assertThat(s.privateKeys()).containsExactly(home.resolve(".ssh/id_ed25519"), home.resolve(".ssh/id_rsa"));
        assertThat(s.password()).isNull();
        assertThat(s.type()).isEqualTo(ConnectionSpec.Type.SSH);
        assertThat(s.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(s.knownHosts()).isEqualTo(home.resolve(".ssh/known_hosts"));
        assertThat(s.jump()).isNull();
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.keepaliveInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void ansibleVariablesWinOverCommandLineOptions() {
        Map<String, Object> v = new HashMap<>();
        v.put("ansible_host", "10.0.0.5");
        v.put("ansible_port", "2222");
        v.put("ansible_user", "postgres");
        v.put("ansible_ssh_private_key_file", "~/keys/db.pem");
        v.put("ansible_ssh_pass", "pw");
        v.put("ansible_timeout", 30);
        Options o = opts().withUser("cli-user").withPrivateKey(Path.of("/cli/key"));
        ConnectionSpec s = ConnectionSpec.fromVars("db1", v, o);
        assertThat(s.address()).isEqualTo("10.0.0.5");
        assertThat(s.port()).isEqualTo(2222);
        assertThat(s.user()).isEqualTo("postgres");
        assertThat(s.privateKeys()).containsExactly(home.resolve("keys/db.pem"));
        assertThat(s.password()).isEqualTo("pw");
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.describe()).isEqualTo("db1 (10.0.0.5:2222) as postgres");

        ConnectionSpec cli = ConnectionSpec.fromVars("db2", Map.of(), o);
        assertThat(cli.user()).isEqualTo("cli-user");
        assertThat(cli.privateKeys()).containsExactly(Path.of("/cli/key"));
    }

    @Test
    void hostKeyPolicySources() {
        assertThat(ConnectionSpec.fromVars("h", Map.of("ansible_host_key_checking", false), opts()).hostKeyPolicy())
                .isEqualTo(HostKeyPolicy.OFF);
        assertThat(ConnectionSpec.fromVars("h", Map.of("ansible_host_key_checking", "yes"), opts()).hostKeyPolicy())
                .isEqualTo(HostKeyPolicy.STRICT);
        assertThat(ConnectionSpec.fromVars("h", Map.of("drover_host_key_policy", "accept-new"), opts()).hostKeyPolicy())
                .isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(ConnectionSpec.fromVars("h", Map.of("ansible_ssh_common_args",
                "-o StrictHostKeyChecking=accept-new -o UserKnownHostsFile=/etc/drover/kh"), opts()))
                .satisfies(s -> {
                    assertThat(s.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
                    assertThat(s.knownHosts()).isEqualTo(Path.of("/etc/drover/kh"));
                });
        assertThat(ConnectionSpec.fromVars("h", Map.of(), opts().withHostKeyPolicy(HostKeyPolicy.OFF)).hostKeyPolicy())
                .isEqualTo(HostKeyPolicy.OFF);
        assertThatThrownBy(() -> ConnectionSpec.fromVars("h", Map.of("drover_host_key_policy", "maybe"), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("host h").hasMessageContaining("maybe");
    }

    @Test
    void jumpHostFromCommonArgsOrDroverVariable() {
        ConnectionSpec a = ConnectionSpec.fromVars("db1",
                Map.of("ansible_ssh_common_args", "-o ProxyJump=jump@bastion.example:2200 -o ServerAliveInterval=5"), opts());
        assertThat(a.jump()).isEqualTo(new JumpHost("jump", "bastion.example", 2200));
        assertThat(a.keepaliveInterval()).isEqualTo(Duration.ofSeconds(5));
        ConnectionSpec b = ConnectionSpec.fromVars("db1", Map.of("ansible_ssh_common_args", "'-oProxyJump=bastion'"), opts());
        assertThat(b.jump()).isEqualTo(new JumpHost(null, "bastion", 22));
        ConnectionSpec c = ConnectionSpec.fromVars("db1", Map.of("ansible_ssh_extra_args", "-J ops@[fe80::1]:2022"), opts());
        assertThat(c.jump()).isEqualTo(new JumpHost("ops", "fe80::1", 2022));
        ConnectionSpec d = ConnectionSpec.fromVars("db1", Map.of("drover_jump_host", "b2:23",
                "ansible_ssh_common_args", "-o ProxyJump=ignored"), opts());
        assertThat(d.jump()).isEqualTo(new JumpHost(null, "b2", 23));
        assertThatThrownBy(() -> ConnectionSpec.fromVars("db1", Map.of("ansible_ssh_common_args", "-o ProxyJump=a,b"), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("one jump host");
        assertThatThrownBy(() -> ConnectionSpec.fromVars("db1",
                Map.of("ansible_ssh_common_args", "-o ProxyCommand=\"ssh -W %h:%p bastion\""), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("ProxyJump");
        assertThatThrownBy(() -> ConnectionSpec.fromVars("db1", Map.of("drover_jump_host", "a b"), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("drover_jump_host");
    }

    @Test
    void connectionTypeAndBadValues() {
        assertThat(ConnectionSpec.fromVars("h", Map.of("ansible_connection", "local"), opts()).type())
                .isEqualTo(ConnectionSpec.Type.LOCAL);
        assertThat(ConnectionSpec.fromVars("h", Map.of("ansible_connection", "smart"), opts()).type())
                .isEqualTo(ConnectionSpec.Type.SSH);
        assertThatThrownBy(() -> ConnectionSpec.fromVars("h", Map.of("ansible_connection", "winrm"), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("winrm");
        assertThatThrownBy(() -> ConnectionSpec.fromVars("h", Map.of("ansible_port", "ssh"), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("ansible_port").hasMessageContaining("host h");
        assertThatThrownBy(() -> ConnectionSpec.fromVars("h", Map.of("ansible_port", 70000), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("1-65535");
        assertThatThrownBy(() -> ConnectionSpec.fromVars("h", Map.of("ansible_timeout", 0), opts()))
                .isInstanceOf(UserError.class).hasMessageContaining("ansible_timeout");
    }

    @Test
    void passwordNeverInToString() {
        ConnectionSpec s = ConnectionSpec.fromVars("h", Map.of("ansible_password", "hunter2-secret"), opts());
        assertThat(s.password()).isEqualTo("hunter2-secret");
        assertThat(s.toString()).doesNotContain("hunter2-secret").contains("password=<hidden>");
        assertThat(ConnectionSpec.fromVars("h", Map.of(), opts()).toString()).contains("password=none");
    }

    @Test
    void shellWordsSplitLikeASh() {
        assertThat(ShellWords.split("-o 'ProxyJump=a b' \"-o\" x\\ y ''")).isEqualTo(List.of("-o", "ProxyJump=a b", "-o", "x y", ""));
    }
}
