using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AuthPlatform.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OAuthClients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "oauth_clients",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    owner_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    redirect_uris = table.Column<string>(type: "TEXT", nullable: false),
                    post_logout_redirect_uris = table.Column<string>(type: "TEXT", nullable: false),
                    grant_types = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    require_consent = table.Column<bool>(type: "INTEGER", nullable: false),
                    first_party = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_clients", x => x.id);
                    table.UniqueConstraint("IX_oauth_clients_client_id", x => x.client_id);
                    table.ForeignKey(
                        name: "FK_oauth_clients_users_owner_id",
                        column: x => x.owner_id,
                        principalTable: "users",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "authorization_codes",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    code_hash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    redirect_uri = table.Column<string>(type: "TEXT", maxLength: 2048, nullable: false),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    code_challenge = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    code_challenge_method = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    nonce = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true),
                    auth_time = table.Column<long>(type: "INTEGER", nullable: false),
                    authentication_methods = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    redeemed_at = table.Column<long>(type: "INTEGER", nullable: true),
                    issued_family_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    issued_access_token_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_authorization_codes", x => x.id);
                    table.ForeignKey(
                        name: "FK_authorization_codes_oauth_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "oauth_clients",
                        principalColumn: "client_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "oauth_client_secrets",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: true),
                    client_id = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_oauth_client_secrets", x => x.id);
                    table.ForeignKey(
                        name: "FK_oauth_client_secrets_oauth_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "oauth_clients",
                        principalColumn: "client_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "user_grants",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    user_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    scopes = table.Column<string>(type: "TEXT", maxLength: 4096, nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_user_grants", x => x.id);
                    table.ForeignKey(
                        name: "FK_user_grants_oauth_clients_client_id",
                        column: x => x.client_id,
                        principalTable: "oauth_clients",
                        principalColumn: "client_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_authorization_codes_client_id",
                table: "authorization_codes",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "IX_authorization_codes_code_hash",
                table: "authorization_codes",
                column: "code_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_authorization_codes_expires_at",
                table: "authorization_codes",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_authorization_codes_user_id",
                table: "authorization_codes",
                column: "user_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_client_secrets_client_id",
                table: "oauth_client_secrets",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "IX_oauth_client_secrets_secret_hash",
                table: "oauth_client_secrets",
                column: "secret_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_oauth_clients_owner_id",
                table: "oauth_clients",
                column: "owner_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_grants_client_id",
                table: "user_grants",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "IX_user_grants_user_id_client_id",
                table: "user_grants",
                columns: new[] { "user_id", "client_id" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "authorization_codes");

            migrationBuilder.DropTable(
                name: "oauth_client_secrets");

            migrationBuilder.DropTable(
                name: "user_grants");

            migrationBuilder.DropTable(
                name: "oauth_clients");
        }
    }
}
