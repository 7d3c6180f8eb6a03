package io.jtcp.tun;

import java.util.ArrayList;
import java.util.List;

/**
 * What a TUN descriptor speaks beyond bare IP packets: whether each packet carries a
 * virtio-net header (IFF_VNET_HDR) and which TUNSETOFFLOAD flags the kernel took. As a
 * request ({@link TunDevice#open(String, TunOffloads)}) it is the most to ask for; as a
 * result ({@link TunDevice#offloads()}) it is what was negotiated.
 *
 * <p>The flags say what the kernel may hand us: TUN_F_CSUM packets with a partial
 * checksum, TUN_F_TSO4/6 TCP super-segments of up to 64 KiB (one header, gso_size bytes a
 * segment), TUN_F_USO4/6 the same for UDP (Linux 6.2+). What we write is not limited by
 * them: any vnet-header device accepts our super-segments and partial checksums.
 */
public record TunOffloads(boolean vnetHeader, int flags) {
    public static final int CSUM = 0x01, TSO4 = 0x02, TSO6 = 0x04, USO4 = 0x20, USO6 = 0x40;

    /** Bare IP packets, as before offloads: no header, every checksum complete both ways. */
    public static final TunOffloads NONE = new TunOffloads(false, 0);
    /** A vnet header but no offload: plain packets framed the offload way (the ladder's last rung but one). */
    public static final TunOffloads HEADER_ONLY = new TunOffloads(true, 0);
    /** Checksum offload and TCP segmentation both ways. */
    public static final TunOffloads TCP = new TunOffloads(true, CSUM | TSO4 | TSO6);
    /** All that jtcp can use, UDP segmentation included (Linux 6.2+ takes it; older kernels fall back to {@link #TCP}). */
    public static final TunOffloads ALL = new TunOffloads(true, CSUM | TSO4 | TSO6 | USO4 | USO6);

    public TunOffloads {
        if (!vnetHeader && flags != 0) throw new IllegalArgumentException("offload flags need the vnet header");
        if (flags != 0 && (flags & CSUM) == 0) throw new IllegalArgumentException("segmentation offloads need TUN_F_CSUM");
        if ((flags & ~(CSUM | TSO4 | TSO6 | USO4 | USO6)) != 0) throw new IllegalArgumentException("unknown offload flags " + flags);
        if (((flags & USO4) == 0) != ((flags & USO6) == 0)) throw new IllegalArgumentException("TUN_F_USO4 and TUN_F_USO6 go together");
    }

    /** Partial checksums both ways: we skip computing ours, and trust the kernel's marked ones. */
    public boolean checksum() { return (flags & CSUM) != 0; }
    public boolean tso() { return (flags & (TSO4 | TSO6)) != 0; }
    public boolean uso() { return (flags & USO4) != 0; }

    /**
     * The requests to try, most first, each step asking for less, as TUNSETOFFLOAD refuses
     * what its kernel does not know with EINVAL: USO, then TSO, then the checksum; the vnet
     * header itself is the last thing given up (by the caller, which must reopen without it).
     */
    List<Integer> ladder() {
        List<Integer> steps = new ArrayList<>();
        if (!vnetHeader) return steps;
        int f = flags;
        steps.add(f);
        if ((f & USO4) != 0) steps.add(f &= ~(USO4 | USO6));
        if ((f & (TSO4 | TSO6)) != 0) steps.add(f &= ~(TSO4 | TSO6));
        if (f != 0) steps.add(0);
        return steps;
    }

    @Override
    public String toString() {
        if (!vnetHeader) return "none";
        StringBuilder b = new StringBuilder("vnet_hdr");
        if (checksum()) b.append(" csum");
        if ((flags & TSO4) != 0) b.append(" tso4");
        if ((flags & TSO6) != 0) b.append(" tso6");
        if (uso()) b.append(" uso4 uso6");
        return b.toString();
    }
}
