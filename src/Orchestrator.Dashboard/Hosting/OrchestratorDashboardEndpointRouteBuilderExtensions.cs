using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orchestrator.Dashboard.Endpoints;
using Orchestrator.Dashboard.Hosting;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Mounts the Orchestrator dashboard in the host's web app.</summary>
public static class OrchestratorDashboardEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Mounts the dashboard under <paramref name="prefix"/>: the runs list, each run's page (plan graph, steps, timeline,
    /// audit trail, outputs) and the pending approvals. It reads the orchestrator's registered services (the checkpoint
    /// store, the audit sinks, <c>IWorkflowOrchestrator</c>). Every request is refused until
    /// <see cref="OrchestratorDashboardOptions.AuthorizationPolicy"/> is set.
    /// </summary>
    /// <param name="endpoints">The app.</param>
    /// <param name="prefix">The path the dashboard lives under, such as <c>/orchestrator</c>.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The dashboard's route group, for more conventions.</returns>
    /// <exception cref="ArgumentException">The prefix is empty or does not start with '/', or an option is out of range.</exception>
    public static IEndpointConventionBuilder MapOrchestratorDashboard(this IEndpointRouteBuilder endpoints, string prefix = "/orchestrator", Action<OrchestratorDashboardOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(prefix);
        if (!prefix.StartsWith('/'))
        {
            throw new ArgumentException($"The dashboard's prefix must start with '/' (was '{prefix}').", nameof(prefix));
        }

        var options = new OrchestratorDashboardOptions();
        configure?.Invoke(options);
        if (options.MaxRuns < 1)
        {
            throw new ArgumentException($"{nameof(OrchestratorDashboardOptions)}.{nameof(OrchestratorDashboardOptions.MaxRuns)} must be at least 1 (was {options.MaxRuns}).", nameof(configure));
        }

        if (options.RefreshInterval < TimeSpan.FromMilliseconds(200))
        {
            throw new ArgumentException($"{nameof(OrchestratorDashboardOptions)}.{nameof(OrchestratorDashboardOptions.RefreshInterval)} must be at least 200 ms (was {options.RefreshInterval}).", nameof(configure));
        }

        if (options.ApproverName is null)
        {
            throw new ArgumentException($"{nameof(OrchestratorDashboardOptions)}.{nameof(OrchestratorDashboardOptions.ApproverName)} cannot be null.", nameof(configure));
        }

        var path = prefix.TrimEnd('/');
        var group = endpoints.MapGroup(path);
        if (options.AuthorizationPolicy is { } policy)
        {
            group.RequireAuthorization(policy);
        }
        else
        {
            // Closed by default, as Hangfire's dashboard is for remote requests: a page of runs and approvals must be opened on purpose.
            group.AddEndpointFilter(static (_, _) => ValueTask.FromResult<object?>(Results.Text(
                "The Orchestrator dashboard is closed: set OrchestratorDashboardOptions.AuthorizationPolicy to the policy whose users may see it.",
                statusCode: StatusCodes.Status403Forbidden)));
        }

        DashboardEndpoints.Map(group, new DashboardContext(endpoints.ServiceProvider, path, options));
        return group;
    }
}
