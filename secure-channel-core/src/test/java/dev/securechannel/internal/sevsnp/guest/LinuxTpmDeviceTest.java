package dev.securechannel.internal.sevsnp.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The character-device transport without a TPM: a named pipe opened for reading and writing
 * echoes what is written, which shows the command goes out in one write and comes back in one
 * read, just as the kernel's TPM driver wants.
 */
class LinuxTpmDeviceTest {

    @TempDir
    Path directory;

    @Test
    void writesTheWholeCommandOnceAndReadsOneResponse() throws Exception {
        Path fifo = directory.resolve("tpmrm0");
        assumeTrue(makeFifo(fifo), "mkfifo is not available");
        byte[] command = Tpm2Commands.nvRead(0x01400001, 1024, 0);

        byte[] response = new LinuxTpmDevice(fifo).transmit(command);

        assertThat(response).isEqualTo(command);
    }

    @Test
    void aMissingDeviceSaysWhereTheTpmWasExpected() {
        Path missing = directory.resolve("tpmrm0");

        assertThatThrownBy(() -> new LinuxTpmDevice(missing).transmit(Tpm2Commands.nvReadPublic(0x01400001)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no TPM at " + missing);
    }

    @Test
    void refusesSomethingThatIsNotACommand() {
        assertThatThrownBy(() -> new LinuxTpmDevice(directory.resolve("tpmrm0")).transmit(new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void usesTheKernelResourceManagerByDefault() {
        assertThat(new LinuxTpmDevice().devicePath()).isEqualTo(Path.of("/dev/tpmrm0"));
    }

    private static boolean makeFifo(Path path) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
