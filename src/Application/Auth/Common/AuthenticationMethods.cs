namespace AuthPlatform.Application.Auth.Common;

/// <summary>RFC 8176 authentication method references (<c>amr</c>) of a sign-in.</summary>
public static class AuthenticationMethods
{
    public static IReadOnlyList<string> Password { get; } = ["pwd"];

    public static IReadOnlyList<string> PasswordAndOtp { get; } = ["pwd", "otp"];
}
