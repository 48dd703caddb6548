package sftest

import "strings"

// Field types, as describe reports them.
const (
	typeID        = "id"
	typeString    = "string"
	typeBoolean   = "boolean"
	typeInt       = "int"
	typeDouble    = "double"
	typeCurrency  = "currency"
	typeDate      = "date"
	typeDateTime  = "datetime"
	typeReference = "reference"
	typePicklist  = "picklist"
	typeTextArea  = "textarea"
	typeURL       = "url"
	typeEmail     = "email"
	typePhone     = "phone"
	typeBase64    = "base64"
)

// fieldDef describes one field of an sObject type.
type fieldDef struct {
	Name        string
	Type        string
	Label       string
	Createable  bool
	Updateable  bool
	Nillable    bool
	ReferenceTo []string
}

// objectDef describes an sObject type: its name, key prefix, fields and permissions.
type objectDef struct {
	Name        string
	Label       string
	LabelPlural string
	KeyPrefix   string
	Createable  bool
	Updateable  bool
	Deletable   bool
	Custom      bool
	// InferFields makes AddRecords define unknown fields from their values (objects created
	// by AddRecords itself).
	InferFields bool
	// Required are fields a create must set (REQUIRED_FIELD_MISSING otherwise).
	Required []string
	Fields   []fieldDef
}

// auditFields are the system fields most objects carry.
func auditFields() []fieldDef {
	return []fieldDef{
		{Name: "CreatedDate", Type: typeDateTime, Label: "Created Date"},
		{Name: "CreatedById", Type: typeReference, Label: "Created By ID", ReferenceTo: []string{"User"}},
		{Name: "LastModifiedDate", Type: typeDateTime, Label: "Last Modified Date"},
		{Name: "LastModifiedById", Type: typeReference, Label: "Last Modified By ID", ReferenceTo: []string{"User"}},
		{Name: "SystemModstamp", Type: typeDateTime, Label: "System Modstamp"},
	}
}

// rw marks fields as createable, updateable and nillable.
func rw(fs ...fieldDef) []fieldDef {
	for i := range fs {
		fs[i].Createable, fs[i].Updateable, fs[i].Nillable = true, true, true
	}
	return fs
}

func idField() fieldDef { return fieldDef{Name: "Id", Type: typeID, Label: "Record ID"} }

func isDeletedField() fieldDef {
	return fieldDef{Name: "IsDeleted", Type: typeBoolean, Label: "Deleted"}
}

// standardObjects returns the definitions of the standard objects the emulated org has;
// ScratchOrgInfo only in a Dev Hub.
func standardObjects(devHub bool) []objectDef {
	defs := []objectDef{profileDef(), permissionSetDef(), organizationDef(), userDef(), accountDef(), contactDef(), loginHistoryDef(), setupAuditTrailDef(), eventLogFileDef()}
	if devHub {
		defs = append(defs, scratchOrgInfoDef())
	}
	return defs
}

func organizationDef() objectDef {
	return objectDef{Name: "Organization", Label: "Organization", LabelPlural: "Organizations", KeyPrefix: prefixOrganization,
		Fields: cat([]fieldDef{idField(),
			{Name: "Name", Type: typeString, Label: "Name"},
			{Name: "InstanceName", Type: typeString, Label: "Instance Name", Nillable: true},
			{Name: "IsSandbox", Type: typeBoolean, Label: "Is Sandbox"},
			{Name: "TrialExpirationDate", Type: typeDateTime, Label: "Trial Expiration Date", Nillable: true},
			{Name: "NamespacePrefix", Type: typeString, Label: "Namespace Prefix", Nillable: true},
			{Name: "OrganizationType", Type: typePicklist, Label: "Edition"},
			{Name: "Country", Type: typeString, Label: "Country", Nillable: true},
			{Name: "LanguageLocaleKey", Type: typePicklist, Label: "Language"},
			{Name: "DefaultLocaleSidKey", Type: typePicklist, Label: "Locale"},
			{Name: "TimeZoneSidKey", Type: typePicklist, Label: "Time Zone"},
		}, auditFields())}
}

func userDef() objectDef {
	return objectDef{Name: "User", Label: "User", LabelPlural: "Users", KeyPrefix: prefixUser, Createable: true, Updateable: true,
		Required: []string{"Username", "LastName", "Email"},
		Fields: cat([]fieldDef{idField()}, rw(
			fieldDef{Name: "Username", Type: typeString, Label: "Username"},
			fieldDef{Name: "FirstName", Type: typeString, Label: "First Name"},
			fieldDef{Name: "LastName", Type: typeString, Label: "Last Name"},
			fieldDef{Name: "Email", Type: typeEmail, Label: "Email"},
			fieldDef{Name: "IsActive", Type: typeBoolean, Label: "Active"},
			fieldDef{Name: "ProfileId", Type: typeReference, Label: "Profile ID", ReferenceTo: []string{"Profile"}},
		), []fieldDef{
			{Name: "Name", Type: typeString, Label: "Full Name"},
			{Name: "UserType", Type: typePicklist, Label: "User Type"},
			{Name: "LastLoginDate", Type: typeDateTime, Label: "Last Login", Nillable: true},
		}, auditFields())}
}

func accountDef() objectDef {
	return objectDef{Name: "Account", Label: "Account", LabelPlural: "Accounts", KeyPrefix: prefixAccount,
		Createable: true, Updateable: true, Deletable: true, Required: []string{"Name"},
		Fields: cat([]fieldDef{idField(), isDeletedField()}, rw(
			fieldDef{Name: "Name", Type: typeString, Label: "Account Name"},
			fieldDef{Name: "Type", Type: typePicklist, Label: "Account Type"},
			fieldDef{Name: "Industry", Type: typePicklist, Label: "Industry"},
			fieldDef{Name: "BillingCity", Type: typeString, Label: "Billing City"},
			fieldDef{Name: "BillingCountry", Type: typeString, Label: "Billing Country"},
			fieldDef{Name: "Phone", Type: typePhone, Label: "Account Phone"},
			fieldDef{Name: "Website", Type: typeURL, Label: "Website"},
			fieldDef{Name: "AnnualRevenue", Type: typeCurrency, Label: "Annual Revenue"},
			fieldDef{Name: "NumberOfEmployees", Type: typeInt, Label: "Employees"},
			fieldDef{Name: "Description", Type: typeTextArea, Label: "Account Description"},
			fieldDef{Name: "OwnerId", Type: typeReference, Label: "Owner ID", ReferenceTo: []string{"User"}},
		), auditFields())}
}

func contactDef() objectDef {
	return objectDef{Name: "Contact", Label: "Contact", LabelPlural: "Contacts", KeyPrefix: prefixContact,
		Createable: true, Updateable: true, Deletable: true, Required: []string{"LastName"},
		Fields: cat([]fieldDef{idField(), isDeletedField()}, rw(
			fieldDef{Name: "AccountId", Type: typeReference, Label: "Account ID", ReferenceTo: []string{"Account"}},
			fieldDef{Name: "FirstName", Type: typeString, Label: "First Name"},
			fieldDef{Name: "LastName", Type: typeString, Label: "Last Name"},
			fieldDef{Name: "Email", Type: typeEmail, Label: "Email"},
			fieldDef{Name: "Phone", Type: typePhone, Label: "Business Phone"},
			fieldDef{Name: "Title", Type: typeString, Label: "Title"},
			fieldDef{Name: "OwnerId", Type: typeReference, Label: "Owner ID", ReferenceTo: []string{"User"}},
		), []fieldDef{{Name: "Name", Type: typeString, Label: "Full Name"}}, auditFields())}
}

func loginHistoryDef() objectDef {
	return objectDef{Name: "LoginHistory", Label: "Login History", LabelPlural: "Login History", KeyPrefix: prefixLoginHistory,
		Fields: []fieldDef{idField(),
			{Name: "UserId", Type: typeReference, Label: "User ID", ReferenceTo: []string{"User"}},
			{Name: "LoginTime", Type: typeDateTime, Label: "Login Time"},
			{Name: "LoginType", Type: typePicklist, Label: "Login Type"},
			{Name: "SourceIp", Type: typeString, Label: "Source IP"},
			{Name: "LoginUrl", Type: typeString, Label: "Login URL"},
			{Name: "Browser", Type: typeString, Label: "Browser"},
			{Name: "Platform", Type: typeString, Label: "Platform"},
			{Name: "Status", Type: typeString, Label: "Status"},
			{Name: "Application", Type: typeString, Label: "Application"},
			{Name: "ApiType", Type: typeString, Label: "API Type", Nillable: true},
			{Name: "ApiVersion", Type: typeString, Label: "API Version", Nillable: true},
			{Name: "CountryIso", Type: typeString, Label: "Country Code", Nillable: true},
			{Name: "TlsProtocol", Type: typePicklist, Label: "TLS Protocol"},
			{Name: "CipherSuite", Type: typePicklist, Label: "TLS Cipher Suite"},
		}}
}

func setupAuditTrailDef() objectDef {
	return objectDef{Name: "SetupAuditTrail", Label: "Setup Audit Trail", LabelPlural: "Setup Audit Trail", KeyPrefix: prefixSetupAuditTrail,
		Fields: []fieldDef{idField(),
			{Name: "Action", Type: typeString, Label: "Action"},
			{Name: "Section", Type: typeString, Label: "Section", Nillable: true},
			{Name: "Display", Type: typeString, Label: "Display", Nillable: true},
			{Name: "DelegateUser", Type: typeString, Label: "Delegate User", Nillable: true},
			{Name: "CreatedDate", Type: typeDateTime, Label: "Created Date"},
			{Name: "CreatedById", Type: typeReference, Label: "Created By ID", ReferenceTo: []string{"User"}},
			{Name: "CreatedByContext", Type: typeString, Label: "Context", Nillable: true},
			{Name: "ResponsibleNamespacePrefix", Type: typeString, Label: "Namespace Prefix", Nillable: true},
		}}
}

func eventLogFileDef() objectDef {
	return objectDef{Name: "EventLogFile", Label: "Event Log File", LabelPlural: "Event Log Files", KeyPrefix: prefixEventLogFile,
		Fields: cat([]fieldDef{idField(), isDeletedField(),
			{Name: "EventType", Type: typePicklist, Label: "Event Type"},
			{Name: "LogDate", Type: typeDateTime, Label: "Log Date"},
			{Name: "LogFileLength", Type: typeDouble, Label: "Log File Length"},
			{Name: "LogFileContentType", Type: typeString, Label: "Log File Content Type"},
			{Name: "ApiVersion", Type: typeDouble, Label: "API Version"},
			{Name: "Sequence", Type: typeInt, Label: "Sequence"},
			{Name: "Interval", Type: typePicklist, Label: "Interval"},
			{Name: "LogFileFieldNames", Type: typeTextArea, Label: "Log File Field Names"},
			{Name: "LogFileFieldTypes", Type: typeTextArea, Label: "Log File Field Types"},
			{Name: "LogFile", Type: typeBase64, Label: "Log File"},
		}, auditFields())}
}

func scratchOrgInfoDef() objectDef {
	return objectDef{Name: "ScratchOrgInfo", Label: "Scratch Org Info", LabelPlural: "Scratch Org Infos",
		KeyPrefix: prefixScratchOrgInfo, Createable: true, Updateable: true, Deletable: true,
		Fields: cat([]fieldDef{idField(), isDeletedField()}, rw(
			fieldDef{Name: "OrgName", Type: typeString, Label: "Org Name"},
			fieldDef{Name: "Edition", Type: typePicklist, Label: "Edition"},
			fieldDef{Name: "Status", Type: typePicklist, Label: "Status"},
			fieldDef{Name: "SignupUsername", Type: typeString, Label: "Username"},
			fieldDef{Name: "ScratchOrg", Type: typeString, Label: "Scratch Org"},
			fieldDef{Name: "ExpirationDate", Type: typeDate, Label: "Expiration Date"},
		), auditFields())}
}

func profileDef() objectDef {
	return objectDef{Name: "Profile", Label: "Profile", LabelPlural: "Profiles", KeyPrefix: prefixProfile,
		Fields: cat([]fieldDef{idField(),
			{Name: "Name", Type: typeString, Label: "Name"},
			{Name: "UserType", Type: typePicklist, Label: "User Type"},
			{Name: "Description", Type: typeString, Label: "Description", Nillable: true},
		}, auditFields())}
}

func permissionSetDef() objectDef {
	return objectDef{Name: "PermissionSet", Label: "Permission Set", LabelPlural: "Permission Sets", KeyPrefix: prefixPermissionSet,
		Fields: cat([]fieldDef{idField(),
			{Name: "Name", Type: typeString, Label: "Name"},
			{Name: "Label", Type: typeString, Label: "Label"},
			{Name: "IsOwnedByProfile", Type: typeBoolean, Label: "Is Owned By Profile"},
			{Name: "ProfileId", Type: typeReference, Label: "Profile ID", Nillable: true, ReferenceTo: []string{"Profile"}},
		}, auditFields())}
}

func cat(parts ...[]fieldDef) []fieldDef {
	var out []fieldDef
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// field returns the definition of the field named name (case-insensitive), or nil.
func (d *objectDef) field(name string) *fieldDef {
	for i := range d.Fields {
		if strings.EqualFold(d.Fields[i].Name, name) {
			return &d.Fields[i]
		}
	}
	return nil
}
