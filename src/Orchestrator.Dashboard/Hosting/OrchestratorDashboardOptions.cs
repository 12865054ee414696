using System.Security.Claims;

namespace Orchestrator.Dashboard.Hosting;

/// <summary>How the dashboard is mounted: who may see it, who an approver is, how much it lists.</summary>
public sealed class OrchestratorDashboardOptions
{
    /// <summary>
    /// The ASP.NET Core authorization policy every dashboard page and call requires (the host defines it with
    /// <c>AddAuthorization</c>). When null, the default, every request is refused with 403: the dashboard shows runs,
    /// outputs and approvals, so it is closed until the host says who may see it.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// The approver name of the signed-in user, matched against a step's <c>approvers</c> and recorded with the decision;
    /// by default <see cref="System.Security.Principal.IIdentity.Name"/>. A user without a name cannot decide.
    /// </summary>
    public Func<ClaimsPrincipal, string?> ApproverName { get; set; } = static user => user.Identity?.Name;

    /// <summary>The most runs the runs page lists (default 200, at least 1).</summary>
    public int MaxRuns { get; set; } = 200;

    /// <summary>How often open pages look for changes while runs are going (default 2 s, at least 200 ms).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether a decision that settles an approval resumes the run in the background (default true); otherwise the host
    /// resumes it (<c>ResumeAsync</c>) and the page shows it waiting.
    /// </summary>
    public bool ResumeAfterApproval { get; set; } = true;

    /// <summary>The title shown in the page header (default "Orchestrator").</summary>
    public string Title { get; set; } = "Orchestrator";
}
