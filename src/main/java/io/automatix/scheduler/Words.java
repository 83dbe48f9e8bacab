package io.automatix.scheduler;

/** Durations and sizes as a person reads them in a job's end: 1 h 02 min, 314 MiB. */
final class Words {

    private Words() {}

    static String duration(Long seconds) {
        if (seconds == null) {
            return "unknown time";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        return minutes < 60
                ? String.format("%d min %02d s", minutes, seconds % 60)
                : String.format("%d h %02d min", minutes / 60, minutes % 60);
    }

    static String bytes(Long bytes) {
        if (bytes == null) {
            return "unknown memory";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return (value >= 10 || unit == 0 ? String.format("%.0f", value) : String.format("%.1f", value)) + " "
                + units[unit];
    }
}
