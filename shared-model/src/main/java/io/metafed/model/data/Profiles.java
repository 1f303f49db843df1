package io.metafed.model.data;

/** Side-information lookup: a whole dataset on a server or simulator, a user's own profile and a catalog on a device. */
public interface Profiles {
    /** @throws IllegalArgumentException when the user is unknown */
    UserProfile user(int id);

    /** @throws IllegalArgumentException when the item is unknown */
    ItemProfile item(int id);
}
