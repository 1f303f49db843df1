package io.metafed.model.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable rating dataset with side information. Every interaction refers to a known user and item;
 * every profile's occupation and genre flags fit the vocabularies.
 *
 * @param source identity of the data (for provenance), e.g. {@code movielens-100k} or {@code synthetic(seed=1,...)}
 */
public record Dataset(String source, List<Interaction> interactions, Map<Integer, UserProfile> users,
                      Map<Integer, ItemProfile> items, List<String> genres, List<String> occupations)
        implements Profiles {
    public Dataset {
        Objects.requireNonNull(source, "source");
        interactions = List.copyOf(interactions);
        users = Map.copyOf(users);
        items = Map.copyOf(items);
        genres = List.copyOf(genres);
        occupations = List.copyOf(occupations);
        for (UserProfile u : users.values()) {
            if (u.occupation() >= occupations.size()) {
                throw new IllegalArgumentException("user " + u.id() + " occupation index must be < "
                        + occupations.size() + ", found " + u.occupation());
            }
        }
        for (ItemProfile it : items.values()) {
            if (it.genres().length != genres.size()) {
                throw new IllegalArgumentException("item " + it.id() + " must have " + genres.size()
                        + " genre flags, found " + it.genres().length);
            }
        }
        for (Interaction in : interactions) {
            if (!users.containsKey(in.user())) {
                throw new IllegalArgumentException("interaction refers to unknown user " + in.user());
            }
            if (!items.containsKey(in.item())) {
                throw new IllegalArgumentException("interaction refers to unknown item " + in.item());
            }
        }
    }

    @Override
    public UserProfile user(int id) {
        UserProfile u = users.get(id);
        if (u == null) {
            throw new IllegalArgumentException("unknown user " + id + " in " + source);
        }
        return u;
    }

    @Override
    public ItemProfile item(int id) {
        ItemProfile it = items.get(id);
        if (it == null) {
            throw new IllegalArgumentException("unknown item " + id + " in " + source);
        }
        return it;
    }

    /** Mean rating over all interactions (the global-mean baseline on this data). */
    public double meanRating() {
        double sum = 0;
        for (Interaction in : interactions) {
            sum += in.rating();
        }
        return interactions.isEmpty() ? 0 : sum / interactions.size();
    }
}
