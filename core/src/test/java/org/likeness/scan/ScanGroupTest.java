package org.likeness.scan;

import org.junit.jupiter.api.Test;
import org.likeness.Models;
import org.likeness.SharedData;
import org.likeness.image.ImageDecoder;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A worker's group of files (faces found model by model over the group, {@code FacePipeline.faces(List)}) gives each
 * file the record it gets alone, byte for byte: photos with one face and with several (some checked for orientation),
 * a photo with no face (searched at the quarter turns), a photo of more than {@link ScanRunner#GROUP_PIXELS} (processed
 * on its own), a truncated file and a file that could not be read.
 */
class ScanGroupTest {
    private static byte[] jpeg(Mat m) {
        MatOfByte b = new MatOfByte();
        Imgcodecs.imencode(".jpg", m, b);
        return b.toArray();
    }

    @Test
    void aGroupGivesEachFileItsOwnRecord() throws Exception {
        Path lfw = SharedData.require("lfw-dev/images");
        byte[] one = Files.readAllBytes(lfw.resolve("AJ_Cook/AJ_Cook_0001.jpg"));
        byte[] several = Files.readAllBytes(lfw.resolve("Abdel_Nasser_Assidi/Abdel_Nasser_Assidi_0001.jpg"));
        Mat big = new Mat();
        Imgproc.resize(Imgcodecs.imdecode(new MatOfByte(one), Imgcodecs.IMREAD_COLOR), big, new Size(1100, 1100));
        Mat grey = new Mat(200, 160, CvType.CV_8UC3, new Scalar(90, 90, 90));
        List<DatasetEntry> group = List.of(
                DatasetEntry.ok("one.jpg", one),
                DatasetEntry.ok("several.jpg", several),
                DatasetEntry.ok("none.jpg", jpeg(grey)),
                DatasetEntry.ok("truncated.jpg", Arrays.copyOf(several, several.length / 3)),
                DatasetEntry.failed("unreadable.jpg", "cannot read: test"),
                DatasetEntry.ok("big.jpg", jpeg(big)));
        ScanRunner runner = new ScanRunner(Models.pipeline(), new ImageDecoder(),
                bgr -> new ScanRunner.ImageHasher.Hash(Integer.toHexString(bgr.cols() * 31 + bgr.rows()), 100), 1);
        List<ScanRecord> grouped = runner.process(group);
        List<String> together = new ArrayList<>();
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            together.add(ScanFile.recordLine(grouped.get(i)));
            alone.add(ScanFile.recordLine(runner.process(group.get(i))));
        }
        assertThat(together).containsExactlyElementsOf(alone);
        assertThat(grouped.get(1).faces()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(grouped.get(2).faces()).isEmpty();
        assertThat(grouped.get(3).ok()).isFalse();
        assertThat(grouped.get(4).error()).isEqualTo("cannot read: test");
        assertThat(grouped.get(5).width()).isEqualTo(1100);
        assertThat(grouped.get(5).faces()).isNotEmpty();
    }
}
