// Longer than 150 lines because the four pages of the authorization flow (login, second factor, consent, error) are written here as plain HTML, with every value encoded.
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

    public static string Login(string query, string antiforgeryToken, string clientName, string? message, string? email = null) =>
        Layout(
            "Sign in",
            $"""
            <h1>Sign in</h1>
            <p>to continue to <strong>{E(clientName)}</strong></p>
            {Message(message)}
            <form method="post" action="/oauth/authorize/login{E(query)}">
              {Token(antiforgeryToken)}
              <p><label for="email">Email</label><br><input id="email" name="email" type="email" autocomplete="username" required value="{E(email ?? string.Empty)}"></p>
              <p><label for="password">Password</label><br><input id="password" name="password" type="password" autocomplete="current-password" required></p>
              <p><button type="submit">Sign in</button></p>
            </form>
            """);

    public static string SecondFactor(string query, string antiforgeryToken, string mfaToken, string? message) =>
        Layout(
            "Two-factor authentication",
            $"""
            <h1>Two-factor authentication</h1>
            <p>Enter the 6-digit code of your authenticator app, or one of your recovery codes.</p>
            {Message(message)}
            <form method="post" action="/oauth/authorize/2fa{E(query)}">
              {Token(antiforgeryToken)}
              <input type="hidden" name="mfa_token" value="{E(mfaToken)}">
              <p><label for="code">Code</label><br><input id="code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" required></p>
              <p><button type="submit">Verify</button></p>
            </form>
            """);

    public static string Consent(string query, string antiforgeryToken, string clientName, IReadOnlyList<ScopeDescription> scopes)
    {
        var items = new StringBuilder();
        foreach (var scope in scopes)
        {
            items.Append("<li><strong>").Append(E(scope.Description)).Append("</strong> <code>").Append(E(scope.Scope)).Append("</code></li>");
        }

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

    private static string Token(string token) => $"""<input type="hidden" name="{AntiforgeryField}" value="{E(token)}">""";

    private static string Message(string? message) => message is null ? string.Empty : $"""<p role="alert">{E(message)}</p>""";

    private static string E(string value) => WebUtility.HtmlEncode(value);
}
