package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drover.transport.RemoteProcess;
import dev.drover.transport.TransportException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/**
 * The host of an agent killed outright (power cut, lab host killed): stdout ends, the exit status never comes
 * and the SSH channel's stderr stream reports {@code available() == -1}. Reading the last of stderr with that
 * length threw IllegalArgumentException on the reader thread, which then died without marking the channel
 * dead, so the caller waited for its whole timeout instead of hearing at once that the agent had gone.
 */
class AgentChannelLostStreamTest {

    @Test
    void aClosedStderrThatReportsMinusOneAvailableStillEndsTheChannelAtOnce() {
        RemoteProcess gone = new RemoteProcess() {
            @Override
            public OutputStream stdin() {
                return OutputStream.nullOutputStream();
            }

            @Override
            public InputStream stdout() {
                return new ByteArrayInputStream(new byte[0]);
            }

            @Override
            public InputStream stderr() {
                return new ByteArrayInputStream(new byte[0]) {
                    @Override
                    public synchronized int available() {
                        return -1; // what a closed MINA channel stream answers
                    }
                };
            }

            @Override
            public Integer waitFor(Duration wait) {
                return null; // the host died: no exit status will ever come
            }

            @Override
            public boolean isAlive() {
                return false;
            }

            @Override
            public void close() {
            }
        };
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> new AgentChannel(gone, "killed-host", AgentOptions.DEFAULTS, scheduler))
                    .isInstanceOf(TransportException.class).hasMessageContaining("agent on killed-host");
            // The handshake would wait 60 s for an answer if the reader thread had died without a word.
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        } finally {
            scheduler.shutdownNow();
        }
    }
}
