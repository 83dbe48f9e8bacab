package io.automatix.hawtio;

import java.io.Serializable;
import java.security.Principal;

/**
 * The role {@link HawtioLoginModule} grants; Hawtio checks it through {@code hawtio.roles} and
 * {@code hawtio.rolePrincipalClasses} (which needs a public constructor taking the name).
 */
public final class HawtioRole implements Principal, Serializable {

    private static final long serialVersionUID = 1L;

    private final String name;

    public HawtioRole(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HawtioRole r && r.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return "HawtioRole[" + name + "]";
    }
}
