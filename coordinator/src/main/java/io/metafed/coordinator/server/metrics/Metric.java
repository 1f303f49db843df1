package io.metafed.coordinator.server.metrics;

/** One metric family in the Prometheus text format 0.0.4. */
abstract class Metric {
    private final String name;
    private final String help;
    private final String type;

    Metric(String name, String help, String type) {
        if (name == null || !name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("metric name must match [a-zA-Z_:][a-zA-Z0-9_:]*, found " + name);
        }
        this.name = name;
        this.help = help;
        this.type = type;
    }

    String name() {
        return name;
    }

    final void render(StringBuilder out) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        samples(out);
    }

    abstract void samples(StringBuilder out);

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : Double.toString(value);
    }

    static String escapeLabel(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
