package dev.securechannel.internal.sevsnp.guest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The hardware stand-in for the configfs-tsm tests: a simulated kernel over a real temporary
 * directory. Like configfs it populates an entry's attributes on {@code mkdir}, counts writes in
 * {@code generation}, produces {@code outblob} (a real fixture report with REPORT_DATA replaced by
 * the {@code inblob} written) and {@code auxblob} (a certificate table) when they are read, rejects
 * an inblob that is not 64 bytes with EINVAL, and removes a non-empty entry on {@code rmdir}. It
 * can also play another writer that touches an entry while a report is read.
 */
public final class SimulatedTsmConfigfs implements ConfigfsTsmReportDevice.TsmReportFiles {

    private final byte[] fixtureReport;
    private final List<Path> createdEntries = new ArrayList<>();
    private final List<Path> removedEntries = new ArrayList<>();
    private final List<byte[]> inblobs = new ArrayList<>();
    private final List<String> privlevels = new ArrayList<>();
    private final AtomicInteger interferingEntries = new AtomicInteger();
    private final AtomicInteger privlevelWritingEntries = new AtomicInteger();
    private volatile byte[] certificateTable = new byte[0];
    private volatile boolean auxblobAttribute = true;
    private volatile String provider = "sev_guest";
    private volatile int privlevelFloor;
    private volatile String outblobError = "";

    public SimulatedTsmConfigfs(byte[] fixtureReport) {
        this.fixtureReport = fixtureReport.clone();
    }

    /** The host's certificate table returned in {@code auxblob}. */
    public SimulatedTsmConfigfs certificateTable(byte[] table) {
        certificateTable = table.clone();
        return this;
    }

    /** A kernel without the {@code auxblob} attribute. */
    public SimulatedTsmConfigfs withoutAuxblob() {
        auxblobAttribute = false;
        return this;
    }

    public SimulatedTsmConfigfs provider(String name) {
        provider = name;
        return this;
    }

    public SimulatedTsmConfigfs privlevelFloor(int floor) {
        privlevelFloor = floor;
        return this;
    }

    /** Reading outblob fails with this errno text, as the kernel does when the firmware refuses. */
    public SimulatedTsmConfigfs failOutblob(String errno) {
        outblobError = errno;
        return this;
    }

    /** In the next {@code entries} entries another writer writes its own inblob while our report is read. */
    public SimulatedTsmConfigfs interfereInNext(int entries) {
        interferingEntries.set(entries);
        return this;
    }

    /**
     * In the next {@code entries} entries another writer writes {@code privlevel} while our report
     * is read: only {@code generation} shows it, the report still carries our REPORT_DATA.
     */
    public SimulatedTsmConfigfs writePrivlevelInNext(int entries) {
        privlevelWritingEntries.set(entries);
        return this;
    }

    public synchronized List<Path> createdEntries() {
        return List.copyOf(createdEntries);
    }

    public synchronized List<Path> removedEntries() {
        return List.copyOf(removedEntries);
    }

    public synchronized List<byte[]> inblobs() {
        return List.copyOf(inblobs);
    }

    public synchronized List<String> privlevels() {
        return List.copyOf(privlevels);
    }

    @Override
    public void createEntry(Path entry) throws IOException {
        Files.createDirectory(entry);
        Files.writeString(entry.resolve("provider"), provider + "\n");
        Files.writeString(entry.resolve("generation"), "0\n");
        Files.writeString(entry.resolve("privlevel_floor"), privlevelFloor + "\n");
        Files.write(entry.resolve("inblob"), new byte[0]);
        Files.write(entry.resolve("outblob"), new byte[0]);
        if (auxblobAttribute) {
            Files.write(entry.resolve("auxblob"), new byte[0]);
        }
        synchronized (this) {
            createdEntries.add(entry);
        }
    }

    @Override
    public boolean exists(Path attribute) {
        return Files.exists(attribute);
    }

    @Override
    public byte[] read(Path attribute) throws IOException {
        String name = attribute.getFileName().toString();
        Path entry = attribute.getParent();
        if (name.equals("outblob") || name.equals("auxblob")) {
            if (!outblobError.isEmpty()) {
                throw new IOException(attribute + ": " + outblobError);
            }
            generate(entry);
        }
        return Files.readAllBytes(attribute);
    }

    @Override
    public void write(Path attribute, byte[] value) throws IOException {
        String name = attribute.getFileName().toString();
        switch (name) {
            case "inblob" -> {
                if (value.length != 64) {
                    throw new IOException(attribute + ": Invalid argument");
                }
                synchronized (this) {
                    inblobs.add(value.clone());
                }
            }
            case "privlevel" -> {
                String text = new String(value, StandardCharsets.US_ASCII).trim();
                int level = Integer.parseInt(text);
                if (level < privlevelFloor || level > 3) {
                    throw new IOException(attribute + ": Invalid argument");
                }
                synchronized (this) {
                    privlevels.add(text);
                }
            }
            default -> throw new IOException(attribute + ": Permission denied");
        }
        Files.write(attribute, value);
        bumpGeneration(entry(attribute));
    }

    @Override
    public void removeEntry(Path entry) throws IOException {
        try (Stream<Path> attributes = Files.list(entry)) {
            for (Path attribute : attributes.toList()) {
                Files.delete(attribute);
            }
        }
        Files.delete(entry);
        synchronized (this) {
            removedEntries.add(entry);
        }
    }

    /** What the sev-guest driver does on the first read after a write: ask the firmware. */
    private void generate(Path entry) throws IOException {
        Path outblob = entry.resolve("outblob");
        if (Files.size(outblob) > 0) {
            return;
        }
        if (interferingEntries.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            byte[] foreign = new byte[64];
            ThreadLocalRandom.current().nextBytes(foreign);
            Files.write(entry.resolve("inblob"), foreign);
            bumpGeneration(entry);
        }
        if (privlevelWritingEntries.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            Files.writeString(entry.resolve("privlevel"), "0");
            bumpGeneration(entry);
        }
        byte[] inblob = Files.readAllBytes(entry.resolve("inblob"));
        byte[] report = fixtureReport.clone();
        System.arraycopy(inblob, 0, report, 0x50, 64);
        Files.write(outblob, report);
        if (auxblobAttribute) {
            Files.write(entry.resolve("auxblob"), certificateTable);
        }
    }

    private static void bumpGeneration(Path entry) throws IOException {
        Path generation = entry.resolve("generation");
        long value = Long.parseLong(Files.readString(generation).trim());
        Files.writeString(generation, (value + 1) + "\n");
    }

    private static Path entry(Path attribute) {
        return attribute.getParent();
    }
}
