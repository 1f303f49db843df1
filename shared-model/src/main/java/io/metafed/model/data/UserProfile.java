package io.metafed.model.data;

import io.metafed.model.Checks;
import java.util.Objects;

/**
 * Side information about a user, the cold-start signal for a user with few ratings.
 *
 * @param occupation index into {@link Dataset#occupations()}
 * @param zip        postal code as written (MovieLens has a few non-numeric ones)
 */
public record UserProfile(int id, Gender gender, int age, int occupation, String zip) {
    public UserProfile {
        Objects.requireNonNull(gender, "gender");
        Objects.requireNonNull(zip, "zip");
        Checks.inRange(age, 1, 120, "age");
        Checks.nonNegative(occupation, "occupation");
    }
}
