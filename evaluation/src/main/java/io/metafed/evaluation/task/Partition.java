package io.metafed.evaluation.task;

/**
 * MeLU-style cold-start partitions. Items are split by release year into existing and new, users at random into
 * existing and new; a partition is the ratings of one user kind on one item kind.
 */
public enum Partition {
    /** Existing users on existing items: the only ratings meta-training sees. */
    TRAIN("existing users, existing items"),
    /** New users on existing items (user cold start). */
    USER_COLD("new users, existing items"),
    /** Existing users on new items (item cold start). */
    ITEM_COLD("existing users, new items"),
    /** New users on new items (user and item cold start). */
    USER_ITEM_COLD("new users, new items");

    private final String description;

    Partition(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** The partitions held out for evaluation. */
    public static java.util.List<Partition> evaluation() {
        return java.util.List.of(USER_COLD, ITEM_COLD, USER_ITEM_COLD);
    }
}
