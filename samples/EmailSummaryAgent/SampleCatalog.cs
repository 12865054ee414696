using Orchestrator.Core.Ports;

/// <summary>
/// The plugins this sample's host would offer. The planner checks every <c>action</c> step against it: an unknown
/// plugin or action and a missing required parameter are errors, a parameter the catalog does not describe is a warning.
/// </summary>
internal static class SampleCatalog
{
    public static InMemoryPluginCatalog Create() => new(
    [
        Plugin("google-mail", "Reads the user's mailbox.",
            Action("search_emails", "Finds emails matching a Gmail query.",
                Required("query", "string", "A Gmail search query, such as is:unread."),
                Optional("max_results", "integer", "The most emails returned."))),
        Plugin("slack", "Posts to the team's chat.",
            Action("send_message", "Posts a message to a channel.",
                Required("channel", "string", "The channel, such as #inbox."),
                Required("text", "string", "The message."))),
        Plugin("web", "Searches the web.",
            Action("search", "Runs a web search.",
                Optional("q", "string", "The search terms."),
                Optional("limit", "integer", "The most results returned."))),
        Plugin("email", "Sends email.",
            Action("send", "Sends one email.",
                Optional("to", "string", "The recipient."),
                Optional("subject", "string", "The subject line."),
                Optional("body", "string", "The message body."))),
    ]);

    private static PluginDescriptor Plugin(string name, string description, params PluginActionDescriptor[] actions) =>
        new() { Name = name, Description = description, Actions = actions };

    private static PluginActionDescriptor Action(string name, string description, params PluginParameterDescriptor[] parameters) =>
        new() { Name = name, Description = description, Parameters = parameters };

    private static PluginParameterDescriptor Required(string name, string type, string description) =>
        new() { Name = name, Type = type, Required = true, Description = description };

    private static PluginParameterDescriptor Optional(string name, string type, string description) =>
        new() { Name = name, Type = type, Description = description };
}
