using System.Globalization;
using Microsoft.Extensions.Configuration;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Orchestrator.Mcp;

/// <summary>Reads MCP servers from configuration, so a host switches its plugins by settings rather than code.</summary>
public static class McpPluginServers
{
    /// <summary>
    /// Reads one server per child of <paramref name="servers"/> (such as the section <c>Orchestrator:Mcp:Servers</c>); the
    /// child's key is the plugin name. A stdio server has <c>Command</c>, and optionally <c>Arguments</c> (a list),
    /// <c>WorkingDirectory</c> and <c>Environment:&lt;NAME&gt;</c>; an HTTP server has <c>Url</c> and optionally
    /// <c>Headers:&lt;NAME&gt;</c>. Either may have <c>Description</c>, <c>MaxConcurrentCalls</c> (a positive integer),
    /// <c>InitializationTimeout</c> and <c>ShutdownTimeout</c> (time spans such as <c>00:00:10</c>), and the SDK's client
    /// options <c>Client:ProtocolVersion</c>, <c>Client:Name</c> and <c>Client:Version</c>.
    /// </summary>
    /// <param name="servers">The section whose children are the servers.</param>
    /// <returns>The servers, in configuration order.</returns>
    /// <exception cref="InvalidOperationException">
    /// A server has neither or both of <c>Command</c> and <c>Url</c>, a <c>Url</c> that is no absolute URI, or a number or
    /// time span that does not parse; the message names the key.
    /// </exception>
    public static IReadOnlyList<McpPluginServer> FromConfiguration(IConfiguration servers)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var result = new List<McpPluginServer>();
        foreach (var server in servers.GetChildren())
        {
            result.Add(Read(server));
        }

        return result;
    }

    private static McpPluginServer Read(IConfigurationSection server)
    {
        var command = server["Command"];
        var url = server["Url"];
        if (string.IsNullOrWhiteSpace(command) == string.IsNullOrWhiteSpace(url))
        {
            throw new InvalidOperationException($"The MCP server '{server.Path}' needs exactly one of 'Command' (a stdio server) and 'Url' (an HTTP server).");
        }

        var description = server["Description"];
        var maxConcurrentCalls = Integer(server, "MaxConcurrentCalls");
        var initializationTimeout = Duration(server, "InitializationTimeout");
        var shutdownTimeout = Duration(server, "ShutdownTimeout") ?? TimeSpan.FromSeconds(1);
        var clientOptions = Client(server.GetSection("Client"));
        if (!string.IsNullOrWhiteSpace(command))
        {
            return new McpPluginServer(server.Key, new StdioClientTransportOptions
            {
                Name = server.Key,
                Command = command,
                Arguments = List(server.GetSection("Arguments")),
                WorkingDirectory = server["WorkingDirectory"],
                EnvironmentVariables = Map(server.GetSection("Environment")),
            })
            {
                Description = description,
                MaxConcurrentCalls = maxConcurrentCalls,
                InitializationTimeout = initializationTimeout,
                ShutdownTimeout = shutdownTimeout,
                ClientOptions = clientOptions,
            };
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException($"The 'Url' of the MCP server '{server.Path}' is not an absolute URI: '{url}'.");
        }

        Dictionary<string, string>? headers = null;
        foreach (var header in server.GetSection("Headers").GetChildren())
        {
            if (header.Value is { } value)
            {
                (headers ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase))[header.Key] = value;
            }
        }

        var options = new HttpClientTransportOptions { Name = server.Key, Endpoint = endpoint, AdditionalHeaders = headers };
        return new McpPluginServer(server.Key, loggerFactory => new HttpClientTransport(options, loggerFactory))
        {
            Description = description,
            MaxConcurrentCalls = maxConcurrentCalls,
            InitializationTimeout = initializationTimeout,
            ShutdownTimeout = shutdownTimeout,
            ClientOptions = clientOptions,
        };
    }

    private static int? Integer(IConfigurationSection server, string key)
    {
        var text = server[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= 1
            ? value
            : throw new InvalidOperationException($"'{server.Path}:{key}' must be a whole number of at least 1, not '{text}'.");
    }

    private static TimeSpan? Duration(IConfigurationSection server, string key)
    {
        var text = server[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : throw new InvalidOperationException($"'{server.Path}:{key}' must be a positive time span such as '00:00:10', not '{text}'.");
    }

    /// <summary>The SDK's client options from <c>Client:*</c>; <see langword="null"/> when none is set.</summary>
    private static McpClientOptions? Client(IConfigurationSection client)
    {
        var protocolVersion = client["ProtocolVersion"];
        var name = client["Name"];
        var version = client["Version"];
        if (string.IsNullOrWhiteSpace(protocolVersion) && string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        return new McpClientOptions
        {
            ProtocolVersion = string.IsNullOrWhiteSpace(protocolVersion) ? null : protocolVersion,
            ClientInfo = string.IsNullOrWhiteSpace(name) ? null : new Implementation { Name = name, Version = string.IsNullOrWhiteSpace(version) ? "1.0.0" : version },
        };
    }

    /// <summary>A configuration list: the children's values in index order (configuration keys sort as strings: "10" before "2").</summary>
    private static List<string> List(IConfigurationSection section)
    {
        var items = new List<(int Index, string Value)>();
        foreach (var child in section.GetChildren())
        {
            if (child.Value is { } value)
            {
                items.Add((int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? index : int.MaxValue, value));
            }
        }

        items.Sort(static (a, b) => a.Index.CompareTo(b.Index));
        return items.ConvertAll(static item => item.Value);
    }

    private static Dictionary<string, string?>? Map(IConfigurationSection section)
    {
        Dictionary<string, string?>? map = null;
        foreach (var child in section.GetChildren())
        {
            (map ??= new Dictionary<string, string?>(StringComparer.Ordinal))[child.Key] = child.Value;
        }

        return map;
    }
}
