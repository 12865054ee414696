using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Orchestrator.Core.Ports;
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

    private static readonly JsonTypeInfo s_nodeType = McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonNode));

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

        if (connection.FindTool(request.Action) is { } tool)
        {
            if (tool.RequiresTask)
            {
                return PluginResult.Fail(
                    $"The MCP tool {request.Plugin}.{request.Action} requires task augmentation (execution.taskSupport: \"required\"), which this client does not support; it refuses plain calls.",
                    McpPluginErrorCodes.TaskRequired);
            }

            // The resolved arguments, checked against the tool's schema before anything is sent: the same call would fail
            // the same way on the server, later and in the server's words (often as an isError result, MCP_TOOL_ERROR).
            if (tool.Arguments?.Check(request.Parameters) is { } problems)
            {
                return PluginResult.Fail(
                    $"The arguments of the MCP tool {request.Plugin}.{request.Action} do not match its input schema: {problems}",
                    McpPluginErrorCodes.InvalidArguments);
            }
        }

        if (_catalog.ShutdownToken.IsCancellationRequested)
        {
            return Cancelled(request);
        }

        // The host stopping (the catalog closing) ends calls in flight as cancelled, not as a timeout or a broken connection.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _catalog.ShutdownToken);
        McpClient? client = null;
        try
        {
            using var slot = await connection.EnterCallAsync(linked.Token).ConfigureAwait(false);
            client = await connection.GetClientAsync(linked.Token).ConfigureAwait(false);
            if (client.Completion.IsCompleted)
            {
                // Only a host's own client gets here (the catalog's are reconnected): sending on an ended session could
                // wait for an answer that never comes, so fail now. Retrying would meet the same ended session.
                return PluginResult.Fail(
                    $"The session with the MCP server '{request.Plugin}' has ended; the client was given by the host, so it is not reconnected.",
                    McpPluginErrorCodes.Transport);
            }

            // Sent as a raw request and read with McpJsonUtilities.DefaultOptions rather than through CallToolAsync: the
            // SDK (2.4.0) fails to read any content block with annotations or icons on that path (see docs/adapters.md).
            var response = await client.SendRequestAsync(CreateCall(request), linked.Token).ConfigureAwait(false);
            var result = response.Result is { } node
                ? JsonSerializer.SerializeToElement(node, s_nodeType)
                : default;
            var mapped = ToolResults.From(result, request.Plugin, request.Action);
            if (!mapped.Success)
            {
                Log.ToolReturnedError(_logger, request.Plugin, request.Action);
            }

            return mapped;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw; // the step's timeout or the run's cancellation: the orchestrator tells which
        }
        catch (Exception) when (_catalog.ShutdownToken.IsCancellationRequested)
        {
            return Cancelled(request);
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

    private static PluginResult Cancelled(PluginRequest request) => PluginResult.Fail(
        $"The MCP call {request.Plugin}.{request.Action} was cancelled: the host is shutting down.",
        McpPluginErrorCodes.Cancelled);

    private static JsonRpcRequest CreateCall(PluginRequest request) => new()
    {
        Method = RequestMethods.ToolsCall,
        Params = new JsonObject
        {
            ["name"] = request.Action,
            ["arguments"] = request.Parameters.ValueKind == JsonValueKind.Object ? JsonObject.Create(request.Parameters) : null,
            ["_meta"] = new JsonObject
            {
                [MetaPrefix + "idempotencyKey"] = request.IdempotencyKey,
                [MetaPrefix + "executionId"] = request.ExecutionId,
                [MetaPrefix + "stepId"] = request.StepId,
            },
        },
    };
}
