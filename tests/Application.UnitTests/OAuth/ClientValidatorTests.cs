using AuthPlatform.Application.Common.Security;
using AuthPlatform.Application.OAuth.Clients.CreateClient;
using AuthPlatform.Application.OAuth.Clients.UpdateClient;
using NSubstitute;

namespace AuthPlatform.Application.UnitTests.OAuth;

public sealed class ClientValidatorTests
{
    private static readonly CallerIdentity Caller = new("u", Guid.NewGuid(), AuthMethods.Jwt, ["profile"]);
    private readonly IScopeCatalog _catalog = Substitute.For<IScopeCatalog>();

    public ClientValidatorTests() => _catalog.IsKnown(Arg.Any<string>()).Returns(call => call.Arg<string>() is "profile" or "models.read");

    private static CreateClientCommand Valid() =>
        new(Caller, "Acme", "public", ["https://app.example.com/cb"], [], ["authorization_code"], ["openid", "profile"]);

    private IReadOnlyList<string> Fields(CreateClientCommand command) =>
        new CreateClientValidator(_catalog).Validate(command).Errors.Select(e => e.PropertyName).Distinct().ToList();

    [Fact]
    public void Create_Valid_HasNoErrors()
    {
        Assert.Empty(Fields(Valid()));
    }

    [Fact]
    public void Create_EachBrokenField_IsNamed()
    {
        Assert.Contains("RedirectUris[0]", Fields(Valid() with { RedirectUris = ["http://evil.example.com/cb"] }));
        Assert.Contains("Type", Fields(Valid() with { Type = "hybrid" }));
        Assert.Contains("Scopes[1]", Fields(Valid() with { Scopes = ["openid", "unknown"] }));
        Assert.Contains("GrantTypes[0]", Fields(Valid() with { GrantTypes = ["implicit"] }));
        Assert.Contains("grant_types", Fields(Valid() with { GrantTypes = ["client_credentials"] }));
        Assert.Contains("redirect_uris", Fields(Valid() with { RedirectUris = Enumerable.Range(0, 11).Select(i => $"https://a.example.com/{i}").ToArray() }));
        Assert.Contains("scopes", Fields(Valid() with { Scopes = [] }));
        Assert.Contains("Name", Fields(Valid() with { Name = "a\u202Eb" }));
    }

    [Fact]
    public void Update_OnlyGivenFieldsAreChecked()
    {
        var validator = new UpdateClientValidator(_catalog);

        Assert.True(validator.Validate(new UpdateClientCommand(Caller, Guid.NewGuid())).IsValid);
        Assert.False(validator.Validate(new UpdateClientCommand(Caller, Guid.NewGuid(), Name: "")).IsValid);
        Assert.False(validator.Validate(new UpdateClientCommand(Caller, Guid.NewGuid(), Scopes: ["nope"])).IsValid);
        Assert.False(validator.Validate(new UpdateClientCommand(Caller, Guid.NewGuid(), PostLogoutRedirectUris: ["https://a.example.com/#x"])).IsValid);
    }
}
