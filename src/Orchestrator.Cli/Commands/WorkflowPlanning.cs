using Orchestrator.Cli.Output;
using Orchestrator.Core.Planning;

namespace Orchestrator.Cli.Commands;

/// <summary>Loads and plans the one workflow file of <c>plan</c> and <c>run</c>, printing its diagnostics to standard error.</summary>
internal static class WorkflowPlanning
{
    private static readonly WorkflowPlanner s_planner = new();

    /// <summary>
    /// The planning result, or null with exit code 2 when the file cannot be read. Every diagnostic (warnings too)
    /// goes to standard error, so standard output holds only the command's result.
    /// </summary>
    public static async ValueTask<(PlanningResult? Planning, int ExitCode)> PlanAsync(string path, CliConsole console, CancellationToken cancellationToken)
    {
        var (loaded, error) = await InputFiles.LoadWorkflowAsync(path, cancellationToken).ConfigureAwait(false);
        if (loaded is null)
        {
            return (null, console.FileError(error!));
        }

        var planning = s_planner.Plan(loaded);
        foreach (var diagnostic in planning.Diagnostics)
        {
            console.Error.WriteLine(ValidationReportWriter.Describe(diagnostic));
        }

        if (!planning.Succeeded)
        {
            console.Error.WriteLine($"error: '{path}' cannot be planned (see the errors above).");
        }

        return (planning, planning.Succeeded ? ExitCodes.Success : ExitCodes.Failure);
    }
}
