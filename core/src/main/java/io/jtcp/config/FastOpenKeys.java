package io.jtcp.config;

import java.util.Arrays;
import java.util.Locale;

/**
 * The TCP Fast Open server keys (Linux's net.ipv4.tcp_fastopen_key and TCP_FASTOPEN_KEY):
 * a primary key that makes cookies and an optional backup that is still accepted, so a
 * key can be rotated without failing the cookies clients hold. Each is 16 bytes as
 * Linux stores it: the sysctl's four hex words written little-endian, which is also the
 * byte order TCP_FASTOPEN_KEY takes.
 */
public record FastOpenKeys(byte[] primary, byte[] backup) {
    public static final int KEY_LENGTH = 16;

    public FastOpenKeys {
        if (primary == null || primary.length != KEY_LENGTH) throw new IllegalArgumentException("a Fast Open key is 16 bytes");
        if (backup != null && backup.length != KEY_LENGTH) throw new IllegalArgumentException("a Fast Open key is 16 bytes");
        primary = primary.clone();
        backup = backup == null ? null : backup.clone();
    }

    /** The sysctl's form, {@code xxxxxxxx-xxxxxxxx-xxxxxxxx-xxxxxxxx[,backup]} (proc_tcp_fastopen_key). */
    public static FastOpenKeys parse(String text) {
        String[] keys = text.trim().split(",");
        if (keys.length > 2) throw new IllegalArgumentException("tcp_fastopen_key takes a primary and at most one backup key");
        return new FastOpenKeys(key(keys[0]), keys.length == 2 ? key(keys[1]) : null);
    }

    /** Raw bytes as TCP_FASTOPEN_KEY takes them: 16 (primary) or 32 (primary then backup). */
    public static FastOpenKeys ofBytes(byte[] raw) {
        if (raw.length != KEY_LENGTH && raw.length != 2 * KEY_LENGTH) throw new IllegalArgumentException("a Fast Open key is 16 or 32 bytes");
        return new FastOpenKeys(Arrays.copyOf(raw, KEY_LENGTH),
                raw.length == 2 * KEY_LENGTH ? Arrays.copyOfRange(raw, KEY_LENGTH, 2 * KEY_LENGTH) : null);
    }

    private static byte[] key(String text) {
        String[] words = text.trim().split("-");
        if (words.length != 4) throw new IllegalArgumentException("a Fast Open key is four hex words, got '" + text + "'");
        byte[] k = new byte[KEY_LENGTH];
        for (int w = 0; w < 4; w++) {
            long v = Long.parseLong(words[w], 16);
            if (v > 0xFFFFFFFFL) throw new IllegalArgumentException("key word out of range: " + words[w]);
            for (int i = 0; i < 4; i++) k[4 * w + i] = (byte) (v >>> (8 * i));
        }
        return k;
    }

    private static String format(byte[] k) {
        StringBuilder b = new StringBuilder();
        for (int w = 0; w < 4; w++) {
            long v = 0;
            for (int i = 3; i >= 0; i--) v = v << 8 | (k[4 * w + i] & 0xff);
            b.append(w == 0 ? "" : "-").append(String.format(Locale.ROOT, "%08x", v));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return format(primary) + (backup == null ? "" : "," + format(backup));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FastOpenKeys k && Arrays.equals(primary, k.primary) && Arrays.equals(backup, k.backup);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(primary) * 31 + Arrays.hashCode(backup);
    }
}
