package io.metafed.sdk.transport;

import io.metafed.model.nn.ParamLayout;
import io.metafed.model.onnx.MetafedGraphs;
import io.metafed.model.protocol.TaskResponse;
import io.metafed.sdk.LocalUpdate;

/** Checks that a task, a layout and an update belong together, shared by every transport and the participant. */
final class TaskChecks {
    /** Code of refusals for a task or model of a layout the device does not have. */
    static final String LAYOUT_MISMATCH = "layout_mismatch";
    /** The task names an algorithm this SDK does not know, or one that does not train its model. */
    static final String UNSUPPORTED_ALGORITHM = "unsupported_algorithm";

    private TaskChecks() {
    }

    static boolean isLayoutId(String hex) {
        return hex != null && hex.matches("[0-9a-fA-F]{16}");
    }

    /** @throws IllegalArgumentException naming both ids when {@code task} is not of {@code layout} */
    static void requireLayout(TaskResponse task, ParamLayout layout) {
        if (!isLayoutId(task.layoutId()) || Long.parseUnsignedLong(task.layoutId(), 16) != layout.id()) {
            throw new IllegalArgumentException("layout id must be the task's " + task.layoutId() + " (round "
                    + task.roundId() + "), found " + MetafedGraphs.hex(layout.id()));
        }
    }

    /** @throws IllegalArgumentException when {@code update} was not adapted from {@code task}'s model */
    static void requireUpdateFor(TaskResponse task, LocalUpdate update, ParamLayout layout) {
        requireLayout(task, layout);
        if (update.modelVersion() != task.modelVersion()) {
            throw new IllegalArgumentException("update modelVersion must be the task's " + task.modelVersion()
                    + " (round " + task.roundId() + "), found " + update.modelVersion());
        }
    }
}
