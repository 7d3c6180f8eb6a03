package io.jtcp.cli;

import io.jtcp.observe.LadderDiagram;
import io.jtcp.observe.PcapWriter;
import io.jtcp.observe.TraceSink;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a run can leave behind: a pcap for Wireshark ({@code --pcap}) and an SVG
 * ladder diagram ({@code --svg}), plus a time plot beside the SVG for stories that have one.
 */
final class Captures implements AutoCloseable {
    private final PcapWriter pcap;
    private final Path pcapFile;
    private final LadderDiagram ladder;
    private final Path svgFile;

    Captures(Path pcapFile, Path svgFile) throws IOException {
        this.pcapFile = pcapFile;
        this.svgFile = svgFile;
        this.pcap = pcapFile == null ? null : PcapWriter.create(pcapFile);
        this.ladder = svgFile == null ? null : new LadderDiagram();
    }

    /** Every trace event goes here too; each capture picks what it draws. */
    TraceSink sink() {
        TraceSink s = TraceSink.NONE;
        if (pcap != null) s = s.andThen(pcap);
        if (ladder != null) s = s.andThen(ladder);
        return s;
    }

    /** Writes the files and says where they are (on stderr, so the trace on stdout stays clean). */
    void finish(String plotSvg, PrintStream notes) throws IOException {
        close();
        if (pcapFile != null) notes.println("pcap written to " + pcapFile + " (" + pcap.records() + " packets)");
        if (ladder != null) {
            ladder.write(svgFile);
            notes.println("ladder diagram written to " + svgFile);
            if (plotSvg != null) {
                Path plot = plotFile(svgFile);
                Files.writeString(plot, plotSvg);
                notes.println("time plot written to " + plot);
            }
        }
    }

    /** {@code run.svg} -> {@code run-plot.svg}. */
    static Path plotFile(Path svg) {
        String name = svg.getFileName().toString();
        String base = name.endsWith(".svg") ? name.substring(0, name.length() - 4) : name;
        return svg.resolveSibling(base + "-plot.svg");
    }

    @Override
    public void close() throws IOException {
        if (pcap != null) pcap.close();
    }
}
