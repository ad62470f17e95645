package dev.drover.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drover.transport.RemoteProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AgentStartAbortTest {

    /** A process whose close fails as an SSH channel does when its session is being closed. */
    private static final class Closing implements RemoteProcess {
        final CountDownLatch closeCalled = new CountDownLatch(1);
        volatile boolean stdinClosed;

        @Override
        public OutputStream stdin() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                }

                @Override
                public void close() {
                    stdinClosed = true;
                }
            };
        }

        @Override
        public InputStream stdout() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public InputStream stderr() {
            return new ByteArrayInputStream(new byte[0]);
        }

        @Override
        public Integer waitFor(Duration wait) {
            return null;
        }

        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public void close() {
            closeCalled.countDown();
            throw new IllegalStateException("Channel id=2 not registered because session is being closed");
        }
    }

    @Test
    void abortEndsTheTrackedProcessOnceAndAProcessTrackedLaterAtOnce() throws Exception {
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        try {
            AgentStartAbort abort = new AgentStartAbort();
            Closing first = new Closing();
            assertThat(abort.track(first)).isTrue();
            abort.abort();
            abort.abort();
            assertThat(first.stdinClosed).isTrue();
            assertThat(first.closeCalled.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(abort.aborted()).isTrue();
            assertThat(abort.release(first)).as("the start goes on").isFalse();

            Closing late = new Closing();
            assertThat(abort.track(late)).isFalse();
            assertThat(late.stdinClosed).isTrue();
            assertThat(late.closeCalled.await(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            // a close failing under a connection being closed is expected at the end of a run, not an error to print
            assertThat(uncaught).isEmpty();
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
