package org.idream.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.ExtendWith;

/** SafetyIT's tests (two runs at once, SIGTERM, kill -9) with the sources on the real CephFS. */
@ExtendWith(CephLab.class)
class CephSafetyIT extends SafetyIT {
    @Override
    protected BackupFixture fixture(Path root, String... sources) throws IOException {
        CephLab.Lab lab = CephLab.lab();
        Path parent = Files.createTempDirectory(lab.mount(), "safety-");
        return CephIT.onCeph(new BackupFixture(root, parent, sources), lab);
    }
}
