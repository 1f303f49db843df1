package io.metafed.simulation.network;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.protocol.StatusResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a running coordinator serves, as its {@code /v1/status} announces it ({@code layoutId}, and {@code model}:
 * the canonical {@code ModelSpec} description such as {@code collab/v1;dim=16;items=1682:<hash>;content=28;lu=5.0;
 * lb=5.0;reg=0.02}), compared with what the simulator's devices would be built with.
 */
public final class ServedLayouts {
    private ServedLayouts() {
    }

    /** The announced model: its family and its {@code key=value} fields (empty before coordinators announced it). */
    public record Announced(String family, Map<String, String> fields) {
        public Optional<String> field(String key) {
            return Optional.ofNullable(fields.get(key));
        }
    }

    public static Optional<Announced> parse(StatusResponse status) {
        return status.model() == null ? Optional.empty() : Optional.of(parse(status.model()));
    }

    static Announced parse(String description) {
        String[] parts = description.split(";");
        int slash = parts[0].indexOf('/');
        String family = slash < 0 ? parts[0] : parts[0].substring(0, slash);
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return new Announced(family, fields);
    }

    /**
     * @throws IllegalArgumentException naming both models and what differs when the coordinator at {@code uri}
     *                                  announces another layout than {@code devices}; a coordinator that announces
     *                                  none is left to the devices' per-task layout check
     */
    public static void requireServes(StatusResponse status, ParamLayout devices, URI uri) {
        if (status.layoutId() == null || status.layoutId().equals(String.format("%016x", devices.id()))) {
            return;
        }
        String mine = devices.spec().describe();
        throw new IllegalArgumentException("the coordinator at " + uri + " serves " + status.model() + " (layout "
                + status.layoutId() + "), but this dataset and these options give " + mine + " (layout "
                + String.format("%016x", devices.id()) + ")" + differences(status.model(), mine));
    }

    /** "; they differ in items (…) and dim (…)", or the families when those differ. */
    static String differences(String served, String mine) {
        Announced a = parse(served);
        Announced b = parse(mine);
        if (!a.family().equals(b.family())) {
            return ": give --model " + a.family() + ", or serve --model " + b.family();
        }
        List<String> differ = new ArrayList<>();
        for (Map.Entry<String, String> e : a.fields().entrySet()) {
            String other = b.fields().get(e.getKey());
            if (!e.getValue().equals(other)) {
                differ.add(e.getKey() + " (served " + e.getValue() + ", here " + other + ")");
            }
        }
        for (Map.Entry<String, String> e : b.fields().entrySet()) {
            if (!a.fields().containsKey(e.getKey())) {
                differ.add(e.getKey() + " (served none, here " + e.getValue() + ")");
            }
        }
        return differ.isEmpty() ? "" : "; they differ in " + String.join(", ", differ);
    }

    /** The {@code CoordinatorMain} options that serve exactly {@code c} over the catalogue file {@code catalog}. */
    public static String coordinatorOptions(io.metafed.model.nn.CollabConfig c, java.nio.file.Path catalog) {
        StringBuilder o = new StringBuilder("--catalog ").append(catalog);
        if (c.content() == null) {
            o.append(" --genres ").append(c.contentWidth() - io.metafed.model.features.CollabEncoder.contentWidth(0));
        } else {
            o.append(" --content '").append(c.content().describe()).append('\'');
        }
        if (c.dim() != io.metafed.model.nn.CollabConfig.DEFAULT_DIM) {
            o.append(" --dim ").append(c.dim());
        }
        if (c.lambdaUser() != io.metafed.model.nn.CollabConfig.DEFAULT_LAMBDA) {
            o.append(" --ridge ").append(c.lambdaUser());
        }
        if (c.itemReg() != io.metafed.model.nn.CollabConfig.DEFAULT_ITEM_REG) {
            o.append(" --item-reg ").append(c.itemReg());
        }
        if (c.itemRows() > 0) {
            o.append(" --item-rows ").append(c.itemRows());
        }
        return o.toString();
    }
}
