using System.ClientModel;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenAI;

/// <summary>
/// Chooses the sample's LLM and plugins from configuration (<c>appsettings.json</c>, environment variables such as
/// <c>Orchestrator__Llm__Provider=OpenAI</c>): the offline stand-ins by default, or a real chat client and real MCP
/// servers. See docs/adapters.md, "Switching the sample by configuration".
/// </summary>
internal static class SampleProviders
{
    /// <summary><c>Orchestrator:Llm:Provider</c>: <c>Offline</c> (default) or <c>OpenAI</c> (any OpenAI-compatible endpoint, such as Ollama's <c>/v1</c>).</summary>
    public static void AddLlm(IOrchestratorBuilder orchestrator, IConfiguration configuration)
    {
        var llm = configuration.GetSection("Orchestrator:Llm");
        var provider = llm["Provider"] ?? "Offline";
        if (provider.Equals("Offline", StringComparison.OrdinalIgnoreCase))
        {
            orchestrator.AddLlmClient(sp => sp.GetRequiredService<SampleLlm>());
            return;
        }

        if (!provider.Equals("OpenAI", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Orchestrator:Llm:Provider '{provider}' is not one the sample knows (Offline, OpenAI).");
        }

        var model = llm["Model"] ?? "gpt-4o-mini";
        var apiKey = llm["ApiKey"] ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY")
            ?? throw new InvalidOperationException("Orchestrator:Llm:Provider is OpenAI but no key is set: set Orchestrator__Llm__ApiKey or OPENAI_API_KEY.");
        var options = new OpenAIClientOptions();
        if (llm["Endpoint"] is { Length: > 0 } endpoint)
        {
            options.Endpoint = new Uri(endpoint);
        }

        IChatClient client = new OpenAI.Chat.ChatClient(model, new ApiKeyCredential(apiKey), options).AsIChatClient();
        orchestrator.AddChatClient(client, o =>
        {
            o.DefaultModel = model;
            o.UseJsonSchemaResponseFormat = llm.GetValue("UseJsonSchemaResponseFormat", true);
        });
    }

    /// <summary><c>Orchestrator:Plugins:Provider</c>: <c>Offline</c> (default) or <c>Mcp</c> (the servers under <c>Orchestrator:Mcp:Servers</c>).</summary>
    public static void AddPlugins(IOrchestratorBuilder orchestrator, IConfiguration configuration)
    {
        var provider = configuration["Orchestrator:Plugins:Provider"] ?? "Offline";
        if (provider.Equals("Offline", StringComparison.OrdinalIgnoreCase))
        {
            orchestrator.AddPluginExecutor(sp => sp.GetRequiredService<SamplePlugins>()).AddPluginCatalog(SampleCatalog.Create());
        }
        else if (provider.Equals("Mcp", StringComparison.OrdinalIgnoreCase))
        {
            // Each server is a plugin named as in the workflow (google-mail, slack); tools are discovered at start-up.
            orchestrator.AddMcpServers(configuration.GetSection("Orchestrator:Mcp:Servers"));
        }
        else
        {
            throw new InvalidOperationException($"Orchestrator:Plugins:Provider '{provider}' is not one the sample knows (Offline, Mcp).");
        }
    }
}
