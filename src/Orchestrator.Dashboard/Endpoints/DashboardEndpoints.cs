using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Execution;
using Orchestrator.Core.Ports;
using Orchestrator.Dashboard.Pages;

namespace Orchestrator.Dashboard.Endpoints;

/// <summary>The dashboard's pages and calls, mapped on its route group.</summary>
internal static class DashboardEndpoints
{
    /// <summary>
    /// The header a decision must carry. A cross-site form cannot set it (a custom header needs a CORS preflight the app
    /// does not grant), so a page on another site cannot make a signed-in approver decide.
    /// </summary>
    public const string RequestHeader = "X-Orchestrator-Dashboard";

    public static void Map(RouteGroupBuilder group, DashboardContext dashboard)
    {
        group.MapGet("/", (HttpContext http, string? status, string? agent) => GuardAsync(http, dashboard, "the runs", async () =>
        {
            var listing = await dashboard.Reader.ListAsync(Empty(status), Empty(agent), dashboard.Options.MaxRuns, http.RequestAborted).ConfigureAwait(false);
            var body = RunsPage.Body(listing, Empty(status), Empty(agent), BasePath(http, dashboard), dashboard.Options.RefreshInterval);
            return Results.Content(Layout.Page(BasePath(http, dashboard), dashboard.Options.Title, "Runs", "runs", body), "text/html; charset=utf-8");
        }));

        group.MapGet("/fragments/runs", (HttpContext http, string? status, string? agent) => GuardAsync(http, dashboard, "the runs", async () =>
        {
            var listing = await dashboard.Reader.ListAsync(Empty(status), Empty(agent), dashboard.Options.MaxRuns, http.RequestAborted).ConfigureAwait(false);
            return Results.Content(RunsPage.Table(listing.Runs, BasePath(http, dashboard)), "text/html; charset=utf-8");
        }));

        group.MapGet("/runs/{executionId}", (HttpContext http, string executionId) => GuardAsync(http, dashboard, "run " + executionId, async () =>
        {
            var basePath = BasePath(http, dashboard);
            if (await dashboard.Reader.LoadAsync(executionId, http.RequestAborted).ConfigureAwait(false) is not { } run)
            {
                return NotFoundPage(dashboard, basePath, executionId);
            }

            var version = await dashboard.Reader.VersionAsync(executionId, http.RequestAborted).ConfigureAwait(false) ?? string.Empty;
            var body = RunPage.Body(run, dashboard.Options.ApproverName(http.User), basePath, version, dashboard.Options.RefreshInterval);
            return Results.Content(Layout.Page(basePath, dashboard.Options.Title, "Run " + executionId, "runs", body, withMermaid: run.Mermaid is not null), "text/html; charset=utf-8");
        }));

        group.MapGet("/runs/{executionId}/version", (HttpContext http, string executionId) => GuardAsync(http, dashboard, "run " + executionId, async () =>
            await dashboard.Reader.VersionAsync(executionId, http.RequestAborted).ConfigureAwait(false) is { } version
                ? Results.Text(version)
                : Results.NotFound()));

        // Cast: a lambda taking only the HttpContext would otherwise bind as a RequestDelegate and drop its result.
        group.MapGet("/approvals", (Delegate)((HttpContext http) => GuardAsync(http, dashboard, "the approvals", async () =>
        {
            var (pending, notices) = await dashboard.Reader.PendingApprovalsAsync(dashboard.Options.MaxRuns, http.RequestAborted).ConfigureAwait(false);
            var basePath = BasePath(http, dashboard);
            var body = ApprovalsPage.Body(pending, notices, dashboard.Options.ApproverName(http.User), basePath);
            return Results.Content(Layout.Page(basePath, dashboard.Options.Title, "Approvals", "approvals", body), "text/html; charset=utf-8");
        })));

        group.MapPost("/runs/{executionId}/approvals/{stepId}", (HttpContext http, string executionId, string stepId) =>
            GuardAsync(http, dashboard, "run " + executionId, () => DecideAsync(http, dashboard, executionId, stepId)));

        group.MapGet("/assets/{name}", (string name) => StaticAssets.Serve(name));
    }

    /// <summary>Records the signed-in user's decision through <c>SubmitApprovalAsync</c>, after checking the step's rules.</summary>
    private static async Task<IResult> DecideAsync(HttpContext http, DashboardContext dashboard, string executionId, string stepId)
    {
        if (!http.Request.Headers.ContainsKey(RequestHeader))
        {
            return Problem(StatusCodes.Status400BadRequest, $"A decision must be sent by the dashboard's page (the {RequestHeader} header is missing).");
        }

        var (approved, comment, bodyError) = await ReadDecisionAsync(http).ConfigureAwait(false);
        if (bodyError is not null)
        {
            return Problem(StatusCodes.Status400BadRequest, bodyError);
        }

        var approver = dashboard.Options.ApproverName(http.User);
        if (string.IsNullOrEmpty(approver))
        {
            return Problem(StatusCodes.Status403Forbidden, "The signed-in user has no name, so the decision cannot be recorded as theirs.");
        }

        var run = await dashboard.Reader.LoadAsync(executionId, http.RequestAborted).ConfigureAwait(false);
        var approval = run?.Approvals.FirstOrDefault(a => a.StepId == stepId);
        if (approval is null)
        {
            return Problem(StatusCodes.Status404NotFound, $"Run '{executionId}' does not wait for an approval of step '{stepId}'.");
        }

        if (!approval.MayDecide(approver))
        {
            Log.ApprovalRefused(dashboard.Logger, stepId, executionId, approver, "not an approver");
            return Problem(StatusCodes.Status403Forbidden, $"'{approver}' is not an approver of step '{stepId}' (approvers: {(approval.Approvers.Count == 0 ? "none" : string.Join(", ", approval.Approvers))}).");
        }

        if (approval.RequireComment && string.IsNullOrWhiteSpace(comment))
        {
            return Problem(StatusCodes.Status400BadRequest, $"The approval of step '{stepId}' requires a comment.");
        }

        var orchestrator = http.RequestServices.GetRequiredService<IWorkflowOrchestrator>();
        bool settled;
        try
        {
            settled = await orchestrator.SubmitApprovalAsync(new ApprovalDecision
            {
                ExecutionId = executionId,
                StepId = stepId,
                Approver = approver,
                Approved = approved,
                Comment = string.IsNullOrWhiteSpace(comment) ? null : comment,
            }, http.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex)
        {
            // The orchestrator has the last word (the run may have moved on since the page was read).
            Log.ApprovalRefused(dashboard.Logger, stepId, executionId, approver, ex.Message);
            return Problem(StatusCodes.Status409Conflict, ex.Message);
        }

        Log.ApprovalSubmitted(dashboard.Logger, approver, approved ? "approved" : "rejected", stepId, executionId, settled);
        var resumed = settled && dashboard.Options.ResumeAfterApproval;
        if (resumed)
        {
            dashboard.StartResume(orchestrator, executionId);
        }

        var message = !settled
            ? "Recorded; the approval waits for more decisions."
            : resumed ? "Recorded; the approval is settled and the run continues." : "Recorded; the approval is settled: the host resumes the run.";
        return Results.Json(new DecisionReply(settled, resumed, message), DashboardJsonContext.Default.DecisionReply);
    }

    private static async Task<(bool Approved, string? Comment, string? Error)> ReadDecisionAsync(HttpContext http)
    {
        const string Shape = "The body must be a JSON object: { \"approved\": true or false, \"comment\": \"...\" (optional) }.";
        try
        {
            using var document = await JsonDocument.ParseAsync(http.Request.Body, default, http.RequestAborted).ConfigureAwait(false);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("approved", out var approved) || approved.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                return (false, null, Shape);
            }

            string? comment = null;
            if (root.TryGetProperty("comment", out var text))
            {
                if (text.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    return (false, null, Shape);
                }

                comment = text.GetString();
            }

            return (approved.GetBoolean(), comment, null);
        }
        catch (JsonException ex)
        {
            return (false, null, Shape + " " + ex.Message);
        }
    }

    /// <summary>Runs a handler; a store or sink that throws becomes a page naming what could not be read, never an unhandled exception.</summary>
    private static async Task<IResult> GuardAsync(HttpContext http, DashboardContext dashboard, string what, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return Results.Empty;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReadFailed(dashboard.Logger, ex, what);
            return Results.Text($"The Orchestrator dashboard could not read {what}: {ex.GetType().Name}: {ex.Message}", statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static IResult NotFoundPage(DashboardContext dashboard, string basePath, string executionId)
    {
        var body = new Html().Raw("<h1>Run not found</h1><p class=\"notice\">").Text(dashboard.Services.GetService<ICheckpointStore>() is null
            ? Data.RunReader.NoStoreNotice
            : "The checkpoint store has no run '" + executionId + "' (it may have been removed after its retention).").Raw("</p>").ToString();
        return Results.Content(Layout.Page(basePath, dashboard.Options.Title, "Run not found", "runs", body), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The dashboard's own path as the browser sees it (the app's path base included).</summary>
    private static string BasePath(HttpContext http, DashboardContext dashboard) => http.Request.PathBase.Value + dashboard.Prefix;
}
