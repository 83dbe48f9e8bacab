package io.automatix.transfer;

/** A transfer that did not work out: permanent failures are not retried, transient ones are. */
public class TransferFailure extends Exception {

    private final boolean permanent;

    private TransferFailure(String message, boolean permanent) {
        super(message);
        this.permanent = permanent;
    }

    public static TransferFailure permanent(String message) {
        return new TransferFailure(message, true);
    }

    public static TransferFailure transientFailure(String message) {
        return new TransferFailure(message, false);
    }

    public boolean permanent() {
        return permanent;
    }
}
