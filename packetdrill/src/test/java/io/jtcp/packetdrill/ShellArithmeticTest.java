package io.jtcp.packetdrill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShellArithmeticTest {

    @Test
    void evaluatesWithCsPrecedence() {
        assertThat(ShellArithmetic.evaluate("15*1024*1024")).isEqualTo(15L * 1024 * 1024);
        assertThat(ShellArithmetic.evaluate("2 + 3 * 4")).isEqualTo(14);
        assertThat(ShellArithmetic.evaluate("(2 + 3) * 4")).isEqualTo(20);
        assertThat(ShellArithmetic.evaluate("1 << 4 + 1")).isEqualTo(32);
        assertThat(ShellArithmetic.evaluate("-7 / 2")).isEqualTo(-3);
        assertThat(ShellArithmetic.evaluate("-7 % 2")).isEqualTo(-1);
        assertThat(ShellArithmetic.evaluate("0x10 | 010 ^ 3 & 1")).isEqualTo(16 | (8 ^ (3 & 1)));
        assertThat(ShellArithmetic.evaluate("256 >> 2 - 1")).isEqualTo(128);
    }

    @Test
    void expandsEveryExpansionInAValue() {
        assertThat(ShellArithmetic.expand("4096 540000 $((15*1024*1024))")).isEqualTo("4096 540000 15728640");
        assertThat(ShellArithmetic.expand("$((256*1024)) $(((1+1)*2))")).isEqualTo("262144 4");
    }

    @Test
    void refusesWhatItDoesNotModel() {
        assertThatThrownBy(() -> ShellArithmetic.evaluate("x + 1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellArithmetic.evaluate("1 || 0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellArithmetic.evaluate("1 / 0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellArithmetic.evaluate("(1")).isInstanceOf(IllegalArgumentException.class);
    }
}
