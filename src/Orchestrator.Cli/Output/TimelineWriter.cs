using System.Globalization;
using Orchestrator.Core.Execution;

namespace Orchestrator.Cli.Output;

/// <summary>
/// <c>run --format timeline</c>: the run's steps as a Mermaid Gantt chart, in milliseconds from the first step's start.
/// A step retried shows its attempts in its label and is marked <c>crit</c>; a failed step is <c>crit</c>, a suspended
/// one <c>active</c>; steps that did not run (skipped) are listed as comments, since they have no time span.
/// </summary>
internal static class TimelineWriter
{
    public static void Write(TextWriter output, WorkflowExecutionResult result, string name)
    {
        output.WriteLine("gantt");
        output.WriteLine("  title " + Label($"Run of {name} ({WireNames.Of(result.Status)})"));
        output.WriteLine("  dateFormat x");
        output.WriteLine("  axisFormat %S.%L s");
        var ran = result.Steps.Values.Where(s => s.Status is not (StepStatus.Skipped or StepStatus.Pending)).OrderBy(s => s.ExecutedAt).ThenBy(s => s.StepId, StringComparer.Ordinal).ToList();
        var origin = ran.Count == 0 ? default : ran[0].ExecutedAt;
        output.WriteLine("  section Steps");
        foreach (var step in ran)
        {
            var start = (long)(step.ExecutedAt - origin).TotalMilliseconds;

            // A zero-length bar is invisible: every step gets at least a millisecond.
            var end = start + Math.Max(1, (long)Math.Ceiling(step.ExecutionTime.TotalMilliseconds));
            var retried = step.Attempts > 1;
            var tags = step.Status switch
            {
                StepStatus.Failed or StepStatus.Cancelled => "crit, ",
                StepStatus.Suspended => "active, ",
                _ when retried => "crit, done, ",
                _ => "done, ",
            };
            var label = step.StepId + (retried ? string.Create(CultureInfo.InvariantCulture, $" ({step.Attempts} attempts)") : string.Empty) + (step.Status == StepStatus.Succeeded ? string.Empty : $" ({WireNames.Of(step.Status)})");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {Label(label)} :{tags}{Id(step.StepId)}, {start}, {end}"));
        }

        foreach (var step in result.Steps.Values.Where(s => s.Status is StepStatus.Skipped or StepStatus.Pending))
        {
            output.WriteLine($"  %% {step.StepId}: {WireNames.Of(step.Status)}{(step.SkipReason is { } reason ? " (" + reason + ")" : string.Empty)}");
        }
    }

    /// <summary>Mermaid ends a task's label at ':' and a line at '#' or ';': they are replaced.</summary>
    private static string Label(string text) => text.Replace(':', ' ').Replace(';', ',').Replace('#', ' ');

    /// <summary>Task ids are names: anything but letters, digits, '_' and '-' becomes '_'.</summary>
    private static string Id(string stepId) => string.Concat(stepId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_'));
}
