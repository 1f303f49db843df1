package io.metafed.model.data;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable rating dataset with side information. Every interaction refers to a known user and item and is on
 * the dataset's rating scale; every profile's occupation, genre flags and attribute values fit the vocabularies.
 * Any side information may be missing (no occupations, no genres, unknown parts of profiles, no attributes).
 * Ratings are held in primitive columns ({@link RatingTable}).
 *
 * @param source identity of the data (for provenance), e.g. {@code movielens-100k} or {@code synthetic(seed=1,...)}
 * @param userAttributes generic user attributes, in the order of every {@link UserProfile#attributes()}
 * @param itemAttributes generic item attributes, in the order of every {@link ItemProfile#attributes()}
 */
public record Dataset(String source, List<Interaction> interactions, Map<Integer, UserProfile> users,
                      Map<Integer, ItemProfile> items, List<String> genres, List<String> occupations,
                      RatingScale scale, List<Attribute> userAttributes, List<Attribute> itemAttributes)
        implements Profiles {
    public Dataset {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(scale, "scale");
        interactions = RatingTable.of(interactions);
        users = Map.copyOf(users);
        items = Map.copyOf(items);
        genres = List.copyOf(genres);
        occupations = List.copyOf(occupations);
        userAttributes = List.copyOf(userAttributes);
        itemAttributes = List.copyOf(itemAttributes);
        for (UserProfile u : users.values()) {
            if (u.occupation() >= occupations.size()) {
                throw new IllegalArgumentException("user " + u.id() + " occupation index must be < "
                        + occupations.size() + ", found " + u.occupation());
            }
            checkAttributes("user " + u.id(), u.attributes(), userAttributes);
        }
        for (ItemProfile it : items.values()) {
            if (it.genres().length != genres.size()) {
                throw new IllegalArgumentException("item " + it.id() + " must have " + genres.size()
                        + " genre flags, found " + it.genres().length);
            }
            checkAttributes("item " + it.id(), it.attributes(), itemAttributes);
        }
        RatingTable table = (RatingTable) interactions;
        for (int r = 0; r < table.size(); r++) {
            if (!users.containsKey(table.user(r))) {
                throw new IllegalArgumentException("interaction refers to unknown user " + table.user(r));
            }
            if (!items.containsKey(table.item(r))) {
                throw new IllegalArgumentException("interaction refers to unknown item " + table.item(r));
            }
            if (!scale.contains(table.rating(r))) {
                throw new IllegalArgumentException("interaction " + table.get(r) + ": "
                        + scale.refusal(table.rating(r)));
            }
        }
    }

    /** A dataset on the 1–5 whole-star scale without generic attributes. */
    public Dataset(String source, List<Interaction> interactions, Map<Integer, UserProfile> users,
                   Map<Integer, ItemProfile> items, List<String> genres, List<String> occupations) {
        this(source, interactions, users, items, genres, occupations, RatingScale.ONE_TO_FIVE, List.of(), List.of());
    }

    private static void checkAttributes(String who, AttributeValues values, List<Attribute> attributes) {
        if (values.count() != attributes.size()) {
            throw new IllegalArgumentException(who + " must have values for " + attributes.size()
                    + " attributes, found " + values.count());
        }
        for (int a = 0; a < attributes.size(); a++) {
            int[] v = values.of(a);
            Attribute attribute = attributes.get(a);
            if (!attribute.multiHot() && v.length > 1) {
                throw new IllegalArgumentException(who + " has " + v.length + " values of categorical attribute "
                        + attribute.column() + ", at most 1 allowed");
            }
            for (int index : v) {
                if (index >= attribute.values().size()) {
                    throw new IllegalArgumentException(who + " attribute " + attribute.column() + " value index must be < "
                            + attribute.values().size() + ", found " + index);
                }
            }
        }
    }

    /** The ratings in their primitive columns. */
    public RatingTable ratings() {
        return (RatingTable) interactions;
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
        RatingTable table = ratings();
        double sum = 0;
        for (int r = 0; r < table.size(); r++) {
            sum += table.rating(r);
        }
        return table.isEmpty() ? 0 : sum / table.size();
    }
}
