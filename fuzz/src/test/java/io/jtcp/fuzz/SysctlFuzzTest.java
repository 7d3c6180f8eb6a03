package io.jtcp.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.jtcp.config.BufferSizes;
import io.jtcp.config.Sysctls;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sysctl parsing as the CLI's {@code --sysctl NAME=VALUE} and packetdrill's sysctl commands
 * reach it: a bad name or value is an IllegalArgumentException, nothing else; a value that
 * was accepted reads back (asMap) as text that sets the same value again.
 */
class SysctlFuzzTest {
    private static final Sysctls LINUX = Sysctls.linux();

    @FuzzTest
    void assignment(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        Sysctls changed;
        try {
            changed = LINUX.set(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        Map<String, String> after = changed.asMap();
        Sysctls again = LINUX;
        for (Map.Entry<String, String> e : after.entrySet()) {
            if (!e.getValue().equals(LINUX.asMap().get(e.getKey()))) again = again.set(e.getKey(), e.getValue());
        }
        assertThat(again.asMap()).as("'%s' read back and set again", text).isEqualTo(after);
    }

    /** tcp_rmem / tcp_wmem's "MIN DEFAULT MAX". */
    @FuzzTest
    void bufferSizes(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        BufferSizes sizes;
        try {
            sizes = BufferSizes.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertThat(BufferSizes.parse(sizes.toString())).isEqualTo(sizes);
    }
}
