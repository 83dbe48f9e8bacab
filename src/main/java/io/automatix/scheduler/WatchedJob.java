package io.automatix.scheduler;

/** A job the router believes queued or running, as a poll needs it. */
public record WatchedJob(String name, String jobId, String directory) {

    public String statusFile() {
        return directory + "/" + name + ".status";
    }
}
