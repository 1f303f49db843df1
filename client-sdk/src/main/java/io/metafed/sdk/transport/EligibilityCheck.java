package io.metafed.sdk.transport;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The app's say on whether this device may take part in a round now, asked by {@link FederatedParticipant} before
 * it asks for a task: adaptation costs battery and the upload costs data, so apps usually require the device to be
 * charging, on an unmetered network and idle (on Android: {@code BatteryManager}, {@code ConnectivityManager},
 * {@code PowerManager}, or the constraints of the WorkManager job that calls {@code participate()}).
 */
@FunctionalInterface
public interface EligibilityCheck {
    /** Empty when the device may take part now, else why not (e.g. "not charging"), for logs and the app. */
    Optional<String> ineligibleBecause();

    /** Always eligible: for simulators and tests, or apps whose scheduler already enforces the conditions. */
    static EligibilityCheck always() {
        return Optional::empty;
    }

    /**
     * Eligible while {@code conditions} reports charging, an unmetered network and an idle device; the first unmet
     * condition is the reason.
     */
    static EligibilityCheck chargingUnmeteredIdle(Supplier<DeviceConditions> conditions) {
        Objects.requireNonNull(conditions, "conditions");
        return () -> {
            DeviceConditions now = Objects.requireNonNull(conditions.get(), "conditions.get()");
            if (!now.charging()) {
                return Optional.of("not charging");
            }
            if (!now.unmeteredNetwork()) {
                return Optional.of("network is metered or absent");
            }
            if (!now.idle()) {
                return Optional.of("device is in use");
            }
            return Optional.empty();
        };
    }

    /** What the app read from the platform just now. */
    record DeviceConditions(boolean charging, boolean unmeteredNetwork, boolean idle) {
    }
}
