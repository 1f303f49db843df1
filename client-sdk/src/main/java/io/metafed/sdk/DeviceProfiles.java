package io.metafed.sdk;

import io.metafed.model.data.ItemProfile;
import io.metafed.model.data.Profiles;
import io.metafed.model.data.UserProfile;
import java.util.Map;
import java.util.Objects;

/** Side information as a device knows it: its own user's profile and the item catalog, nothing else. */
final class DeviceProfiles implements Profiles {
    private final UserProfile user;
    private final Profiles catalog;

    DeviceProfiles(UserProfile user, Profiles catalog) {
        this.user = Objects.requireNonNull(user, "user");
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    /** A catalog view of {@code items}, whose keys must be the profiles' ids. */
    static Profiles catalog(Map<Integer, ItemProfile> items) {
        Map<Integer, ItemProfile> copy = Map.copyOf(items);
        copy.forEach((id, item) -> {
            if (item.id() != id) {
                throw new IllegalArgumentException("catalog key " + id + " must map to item " + id + ", found item "
                        + item.id());
            }
        });
        return new Profiles() {
            @Override
            public UserProfile user(int id) {
                throw new IllegalArgumentException("an item catalog has no users, asked for user " + id);
            }

            @Override
            public ItemProfile item(int id) {
                ItemProfile item = copy.get(id);
                if (item == null) {
                    throw new IllegalArgumentException("unknown item " + id);
                }
                return item;
            }
        };
    }

    @Override
    public UserProfile user(int id) {
        if (id != user.id()) {
            throw new IllegalArgumentException("this device only knows user " + user.id() + ", not " + id);
        }
        return user;
    }

    @Override
    public ItemProfile item(int id) {
        ItemProfile item;
        try {
            item = catalog.item(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("item " + id + " is not in the item catalog", e);
        }
        if (item == null || item.id() != id) {
            throw new IllegalArgumentException("item " + id + " is not in the item catalog"
                    + (item == null ? "" : " (the catalog returned item " + item.id() + ")"));
        }
        return item;
    }
}
