package io.metafed.model.data;

import io.metafed.model.Checks;
import java.util.Objects;

/**
 * Side information about a user, the cold-start signal for a user with few ratings. Any part may be unknown
 * (datasets without demographics): {@link Gender#UNKNOWN}, {@link #UNKNOWN_AGE}, {@link #UNKNOWN_OCCUPATION},
 * an empty zip; unknown parts encode to no feature.
 *
 * @param occupation index into {@link Dataset#occupations()}, or {@link #UNKNOWN_OCCUPATION}
 * @param zip        postal code as written (MovieLens has a few non-numeric ones), or empty
 * @param attributes values of the dataset's generic user attributes
 */
public record UserProfile(int id, Gender gender, int age, int occupation, String zip, AttributeValues attributes) {
    public static final int UNKNOWN_AGE = 0;
    public static final int UNKNOWN_OCCUPATION = -1;

    public UserProfile {
        Objects.requireNonNull(gender, "gender");
        Objects.requireNonNull(zip, "zip");
        Objects.requireNonNull(attributes, "attributes");
        if (age != UNKNOWN_AGE) {
            Checks.inRange(age, 1, 120, "age");
        }
        Checks.inRange(occupation, UNKNOWN_OCCUPATION, Integer.MAX_VALUE, "occupation");
    }

    public UserProfile(int id, Gender gender, int age, int occupation, String zip) {
        this(id, gender, age, occupation, zip, AttributeValues.NONE);
    }

    /** A user the dataset knows nothing about but the id. */
    public static UserProfile unknown(int id) {
        return new UserProfile(id, Gender.UNKNOWN, UNKNOWN_AGE, UNKNOWN_OCCUPATION, "", AttributeValues.NONE);
    }
}
