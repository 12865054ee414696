using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Planning;

namespace Orchestrator.Cli.Output;

/// <summary>
/// The lowercase snake_case names the tool prints for the library's enums. Spelled out rather than derived from the
/// enum member names, so renaming a member in the library cannot silently change the tool's output format.
/// </summary>
internal static class WireNames
{
    public static string Of(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => Unknown(severity),
    };

    public static string Of(PlanEdgeKind kind) => kind switch
    {
        PlanEdgeKind.Declared => "declared",
        PlanEdgeKind.Reference => "reference",
        PlanEdgeKind.Branch => "branch",
        _ => Unknown(kind),
    };

    public static string Of(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Succeeded => "succeeded",
        ExecutionStatus.PartiallySucceeded => "partially_succeeded",
        ExecutionStatus.Failed => "failed",
        ExecutionStatus.Cancelled => "cancelled",
        ExecutionStatus.Suspended => "suspended",
        ExecutionStatus.Rejected => "rejected",
        _ => Unknown(status),
    };

    public static string Of(StepStatus status) => status switch
    {
        StepStatus.Succeeded => "succeeded",
        StepStatus.Failed => "failed",
        StepStatus.Skipped => "skipped",
        StepStatus.Cancelled => "cancelled",
        StepStatus.Suspended => "suspended",
        StepStatus.Pending => "pending",
        _ => Unknown(status),
    };

    // A member added to the library after this tool was written: still printed, in the same style.
    private static string Unknown<T>(T value)
        where T : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
