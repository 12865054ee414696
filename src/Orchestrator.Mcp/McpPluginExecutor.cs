using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Plugins;
using Orchestrator.Mcp.Mapping;

namespace Orchestrator.Mcp;

/// <summary>
/// Runs action steps as MCP tool calls: the step's <c>plugin</c> names a server of the <see cref="McpPluginCatalog"/>,
/// its <c>action</c> a tool, its <c>params</c> (a JSON object) are the tool's arguments.
/// </summary>
/// <remarks>
/// Nothing here throws for a call that went wrong: a tool's error result, a protocol error and a broken transport all
/// come back as failed results, retryable when sending the call again may succeed (see <see cref="McpPluginErrorCodes"/>).
/// Only the orchestrator's own cancellation propagates. The step's idempotency key, run and step id travel in the
/// request's <c>_meta</c> (<c>orchestrator.core/idempotencyKey</c>, <c>/executionId</c>, <c>/stepId</c>), so a server
/// that cares can recognise a retried call.
/// </remarks>
public sealed class McpPluginExecutor : IPluginExecutor
{
    private const string MetaPrefix = "orchestrator.core/";

    private readonly McpPluginCatalog _catalog;
    private readonly ILogger _logger;

    /// <summary>Creates an executor that calls the tools of <paramref name="catalog"/>'s servers.</summary>
    /// <param name="catalog">The servers and their sessions.</param>
    /// <param name="logger">Logs failed calls.</param>
    public McpPluginExecutor(McpPluginCatalog catalog, ILogger<McpPluginExecutor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "A plugin executor reports failures as results (IPluginExecutor's contract); each exception is classified, none is swallowed silently.")]
    public async ValueTask<PluginResult> ExecuteAsync(PluginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_catalog.TryGetConnection(request.Plugin, out var connection))
        {
            return PluginResult.Fail($"No MCP server named '{request.Plugin}' is configured.", McpPluginErrorCodes.UnknownServer);
        }

        if (request.Parameters.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            return PluginResult.Fail(
                $"The arguments of the MCP tool {request.Plugin}.{request.Action} must be a JSON object, not {request.Parameters.ValueKind}.",
                McpPluginErrorCodes.InvalidArguments);
        }

        McpClient? client = null;
        try
        {
            client = await connection.GetClientAsync(cancellationToken).ConfigureAwait(false);
            if (client.Completion.IsCompleted)
            {
                // Only a host's own client gets here (the catalog's are reconnected): sending on an ended session could
                // wait for an answer that never comes, so fail now. Retrying would meet the same ended session.
                return PluginResult.Fail(
                    $"The session with the MCP server '{request.Plugin}' has ended; the client was given by the host, so it is not reconnected.",
                    McpPluginErrorCodes.Transport);
            }

            var result = await client.CallToolAsync(CreateCall(request), cancellationToken).ConfigureAwait(false);
            if (result.IsError == true)
            {
                Log.ToolReturnedError(_logger, request.Plugin, request.Action);
            }

            return ToolResults.From(result, request.Plugin, request.Action);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the step's timeout or the run's cancellation: the orchestrator tells which
        }
        catch (Exception ex)
        {
            var (failure, connectionBroken) = ToolResults.From(ex, request.Plugin, request.Action);
            if (connectionBroken && !connection.CanReconnect)
            {
                failure = failure with { Retryable = false }; // the host's client is never replaced, so trying again cannot help
            }

            Log.CallFailed(_logger, request.Plugin, request.Action, failure.ErrorCode, failure.Retryable, ex.GetType().Name);
            if (connectionBroken && client is not null)
            {
                await connection.DropAsync(client).ConfigureAwait(false);
            }

            return failure;
        }
    }

    private static CallToolRequestParams CreateCall(PluginRequest request)
    {
        Dictionary<string, JsonElement>? arguments = null;
        if (request.Parameters.ValueKind == JsonValueKind.Object)
        {
            arguments = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var property in request.Parameters.EnumerateObject())
            {
                arguments[property.Name] = property.Value;
            }
        }

        return new CallToolRequestParams
        {
            Name = request.Action,
            Arguments = arguments,
            Meta = new JsonObject
            {
                [MetaPrefix + "idempotencyKey"] = request.IdempotencyKey,
                [MetaPrefix + "executionId"] = request.ExecutionId,
                [MetaPrefix + "stepId"] = request.StepId,
            },
        };
    }
}
