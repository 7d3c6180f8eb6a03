package io.jtcp.tcp;

import io.jtcp.config.Sysctls;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A listener's options shared by its children: copied only on a write, one shared copy per autotuned size. */
class SharedSocketOptionsTest {
    private final SocketOptions listener = new SocketOptions(Sysctls.linux());

    @Test
    void aWriteToASharedObjectGoesToACopy() {
        SocketOptions child = listener.share();
        assertThat(child).isSameAs(listener);
        SocketOptions own = child.writable();
        assertThat(own).isNotSameAs(listener);
        own.keepCnt = 3;
        assertThat(listener.keepCnt).isNotEqualTo(3);
        assertThat(own.writable()).as("a copy is its holder's own").isSameAs(own);
    }

    @Test
    void childrenGrownToTheSameSizesShareOneCopy() {
        int rcv = listener.rcvBuf, snd = listener.sndBuf;
        SocketOptions a = listener.share().withBufferSizes(rcv, 87040);
        SocketOptions b = listener.share().withBufferSizes(rcv, 87040);
        assertThat(a).isSameAs(b).isNotSameAs(listener);
        assertThat(listener.sndBuf).isEqualTo(snd);
        assertThat(a.sndBuf).isEqualTo(87040);
        SocketOptions c = listener.withBufferSizes(rcv, 90000);
        assertThat(c.sndBuf).isEqualTo(90000);
        assertThat(a.sndBuf).as("the first copy stays as its holders grew it").isEqualTo(87040);
        assertThat(a.writable()).as("still shared: a write copies it").isNotSameAs(a);
    }

    @Test
    void anUnsharedObjectGrowsInPlace() {
        SocketOptions own = new SocketOptions(Sysctls.linux());
        assertThat(own.withBufferSizes(own.rcvBuf, 87040)).isSameAs(own);
        assertThat(own.sndBuf).isEqualTo(87040);
    }
}
