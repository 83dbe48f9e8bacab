package io.automatix.run;

public class RunNotFoundException extends RuntimeException {

    public RunNotFoundException(String name) {
        super("no run named '" + name + "'");
    }
}
