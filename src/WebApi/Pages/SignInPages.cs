// Longer than 150 lines because the pages of the authorization flow (login, second factor, consent, error) and of the device verification are written here as plain HTML, with every value encoded.
using System.Net;
using System.Text;
using AuthPlatform.Application.OAuth.Common;

namespace AuthPlatform.WebApi.Pages;

/// <summary>
/// The browser pages of <c>/oauth/authorize</c>: minimal server-written HTML, no script, no
/// external resource (the strict HTML CSP of <see cref="Http.SecurityHeaders"/> holds), every
/// dynamic value HTML-encoded. Each form carries the antiforgery token and posts back to
/// <c>/oauth/authorize/…</c> with the authorization request's parameters in its query string.
/// </summary>
public static class SignInPages
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    public const string AuthorizePath = "/oauth/authorize";
    public const string DevicePath = "/oauth/device";

    /// <summary>The login form; it posts to <c>{path}/login</c> (<see cref="AuthorizePath"/> or <see cref="DevicePath"/>).</summary>
    public static string Login(string query, string antiforgeryToken, string clientName, string? message, string? email = null, string path = AuthorizePath) =>
        Layout(
            "Sign in",
            $"""
            <h1>Sign in</h1>
            <p>to continue to <strong>{E(clientName)}</strong></p>
            {Message(message)}
            <form method="post" action="{path}/login{E(query)}">
              {Token(antiforgeryToken)}
              <p><label for="email">Email</label><br><input id="email" name="email" type="email" autocomplete="username" required value="{E(email ?? string.Empty)}"></p>
              <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit">Sign in</button></p>
            </form>
            """);

    public static string SecondFactor(string query, string antiforgeryToken, string mfaToken, string? message, string path = AuthorizePath) =>
        Layout(
            "Two-factor authentication",
            $"""
            <h1>Two-factor authentication</h1>
            <p>Enter the 6-digit code of your authenticator app, or one of your recovery codes.</p>
            {Message(message)}
            <form method="post" action="{path}/2fa{E(query)}">
              {Token(antiforgeryToken)}
              <input type="hidden" name="mfa_token" value="{E(mfaToken)}">
              <p><label for="code">Code</label><br><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required></p>
              <p><button type="submit">Verify</button></p>
            </form>
            """);

    public static string Consent(string query, string antiforgeryToken, string clientName, IReadOnlyList<ScopeDescription> scopes)
    {
        var items = ScopeItems(scopes);
        return Layout(
            "Authorize " + clientName,
            $"""
            <h1>Authorize {E(clientName)}</h1>
            <p><strong>{E(clientName)}</strong> asks to:</p>
            <ul>{items}</ul>
            <form method="post" action="/oauth/authorize/consent{E(query)}">
              {Token(antiforgeryToken)}
              <button type="submit" name="decision" value="approve">Allow</button>
              <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);
    }

    /// <summary>The device verification page (RFC 8628 3.3): the person types the code their device shows.</summary>
    public static string DeviceCodeEntry(string antiforgeryToken, string? userCode, string? message) =>
        Layout(
            "Connect a device",
            $"""
            <h1>Connect a device</h1>
            <p>Enter the code shown on your device (for example in your terminal).</p>
            {Message(message)}
            <form method="post" action="{DevicePath}">
              {Token(antiforgeryToken)}
              <p><label for="user_code">Code</label><br><input id="user_code" name="user_code" type="text" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32" required value="{E(userCode ?? string.Empty)}"></p>
              <p><button type="submit">Continue</button></p>
            </form>
            """);

    /// <summary>The device's consent page: the application, the code to compare with the device's, and the scopes in the consent page's words.</summary>
    public static string DeviceConsent(string antiforgeryToken, string userCode, string clientName, IReadOnlyList<ScopeDescription> scopes) =>
        Layout(
            "Authorize " + clientName,
            $"""
            <h1>Authorize {E(clientName)}</h1>
            <p>Check that your device shows the code <strong>{E(userCode)}</strong>. Approve only a request you started yourself.</p>
            <p><strong>{E(clientName)}</strong> asks to:</p>
            <ul>{ScopeItems(scopes)}</ul>
            <form method="post" action="{DevicePath}/decision">
              {Token(antiforgeryToken)}
              <input type="hidden" name="user_code" value="{E(userCode)}">
              <button type="submit" name="decision" value="approve">Allow</button>
              <button type="submit" name="decision" value="deny">Deny</button>
            </form>
            """);

    /// <summary>The end of the device flow on the browser's side.</summary>
    public static string DeviceDone(bool approved) =>
        Layout(
            approved ? "Device connected" : "Request denied",
            approved
                ? """
                  <h1>Device connected</h1>
                  <p role="status">You approved the request. Return to your device: it is signed in within a few seconds. You can close this window.</p>
                  """
                : """
                  <h1>Request denied</h1>
                  <p role="status">The device was not given access. You can close this window.</p>
                  """);

    public static string Error(string message) =>
        Layout(
            "Authorization error",
            $"""
            <h1>This authorization request cannot be completed</h1>
            <p role="alert">{E(message)}</p>
            <p>Return to the application and try again. If this keeps happening, tell its developers.</p>
            """);

    /// <summary>The answer of <c>/oauth/end_session</c> when there is no (valid) application to return to.</summary>
    public static string SignedOut(string? notice) =>
        Layout(
            "Signed out",
            $"""
            <h1>You are signed out</h1>
            {Message(notice)}
            <p>You can close this window.</p>
            """);

    private static string Layout(string title, string body) =>
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{E(title)}</title>
        </head>
        <body>
        <main>
        {body}
        </main>
        </body>
        </html>
        """;

    private static StringBuilder ScopeItems(IReadOnlyList<ScopeDescription> scopes)
    {
        var items = new StringBuilder();
        foreach (var scope in scopes)
        {
            items.Append("<li><strong>").Append(E(scope.Description)).Append("</strong> <code>").Append(E(scope.Scope)).Append("</code></li>");
        }

        return items;
    }

    private static string Token(string token) => $"""<input type="hidden" name="{AntiforgeryField}" value="{E(token)}">""";

    private static string Message(string? message) => message is null ? string.Empty : $"""<p role="alert">{E(message)}</p>""";

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
