namespace Orchestrator.Core.Telemetry;

/// <summary>
/// The names the orchestrator's telemetry is published under, for hosts that subscribe to it
/// (<c>AddSource(OrchestratorTelemetryNames.SourceName)</c>, <c>AddMeter(OrchestratorTelemetryNames.MeterName)</c>).
/// </summary>
/// <remarks>
/// Spans and metrics never carry the user id: it identifies a person, and telemetry back ends are rarely where a host
/// wants personal data. The execution id links a span to the run, and so to its user, in the host's own records.
/// </remarks>
public static class OrchestratorTelemetryNames
{
    /// <summary>The name of the <see cref="System.Diagnostics.ActivitySource"/> of run, step and LLM call spans.</summary>
    public const string SourceName = "Orchestrator.Core";

    /// <summary>The name of the <see cref="System.Diagnostics.Metrics.Meter"/> of the orchestrator's instruments.</summary>
    public const string MeterName = "Orchestrator.Core";

    /// <summary>The span of one run (or one resumption of a suspended run).</summary>
    public const string RunActivity = "orchestrator.run";

    /// <summary>The span of one step; its display name is <c>orchestrator.step {type}</c>.</summary>
    public const string StepActivity = "orchestrator.step";

    /// <summary>The span of one LLM call; its display name is <c>chat {model}</c>.</summary>
    public const string ChatActivity = "chat";

    /// <summary>Counter of finished runs, tagged with <see cref="RunStatusTag"/>.</summary>
    public const string RunsCounter = "orchestrator.runs";

    /// <summary>Counter of steps that ran, tagged with <see cref="StepTypeTag"/> and <see cref="StepOutcomeTag"/>.</summary>
    public const string StepsCounter = "orchestrator.steps";

    /// <summary>Histogram of step durations in seconds, tagged with <see cref="StepTypeTag"/> and <see cref="StepOutcomeTag"/>.</summary>
    public const string StepDurationHistogram = "orchestrator.step.duration";

    /// <summary>Counter of LLM tokens, tagged with <see cref="TokenTypeTag"/> and <see cref="RequestModelTag"/>.</summary>
    public const string LlmTokensCounter = "orchestrator.llm.tokens";

    /// <summary>The counter of LLM cost, from the pricing table, by requested model (unit: the pricing table's currency).</summary>
    public const string LlmCostCounter = "orchestrator.llm.cost";

    /// <summary>The run's execution id (run spans).</summary>
    public const string ExecutionIdTag = "orchestrator.execution.id";

    /// <summary>The agent the run is for, when the request names one (run spans).</summary>
    public const string AgentIdTag = "orchestrator.agent.id";

    /// <summary>The workflow's id, when the definition has one (run spans).</summary>
    public const string WorkflowIdTag = "orchestrator.workflow.id";

    /// <summary>The run's status in lowercase: <c>succeeded</c>, <c>partiallysucceeded</c>, <c>failed</c>, <c>cancelled</c>, <c>suspended</c>.</summary>
    public const string RunStatusTag = "orchestrator.run.status";

    /// <summary>The step's id (step spans).</summary>
    public const string StepIdTag = "orchestrator.step.id";

    /// <summary>The step's type, such as <c>action</c> or <c>llm_decision</c>.</summary>
    public const string StepTypeTag = "orchestrator.step.type";

    /// <summary>The step's status in lowercase: <c>succeeded</c>, <c>failed</c>, <c>cancelled</c>, <c>suspended</c>.</summary>
    public const string StepOutcomeTag = "orchestrator.step.outcome";

    /// <summary>How many attempts the step took (step spans).</summary>
    public const string StepAttemptsTag = "orchestrator.step.attempts";

    /// <summary>The error code of a failed run or step (OpenTelemetry <c>error.type</c>).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>OpenTelemetry <c>gen_ai.operation.name</c>; <c>chat</c> for LLM steps.</summary>
    public const string OperationNameTag = "gen_ai.operation.name";

    /// <summary>OpenTelemetry <c>gen_ai.request.model</c>: the model the step asked for.</summary>
    public const string RequestModelTag = "gen_ai.request.model";

    /// <summary>OpenTelemetry <c>gen_ai.response.model</c>: the model that answered.</summary>
    public const string ResponseModelTag = "gen_ai.response.model";

    /// <summary>OpenTelemetry <c>gen_ai.usage.input_tokens</c>.</summary>
    public const string InputTokensTag = "gen_ai.usage.input_tokens";

    /// <summary>OpenTelemetry <c>gen_ai.usage.output_tokens</c>.</summary>
    public const string OutputTokensTag = "gen_ai.usage.output_tokens";

    /// <summary>OpenTelemetry <c>gen_ai.token.type</c>: <c>input</c> or <c>output</c>.</summary>
    public const string TokenTypeTag = "gen_ai.token.type";
}
