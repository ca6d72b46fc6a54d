package corpus

import (
	helloworldv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/helloworld/v1"
	mutexv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/mutex/v1"
	nexusv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/nexus/v1"
	schedulev1 "github.com/cludden/protoc-gen-go-temporal/gen/example/schedule/v1"
	searchattributesv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/searchattributes/v1"
	shoppingcartv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/shoppingcart/v1"
	updatabletimerv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/updatabletimer/v1"
	examplev1 "github.com/cludden/protoc-gen-go-temporal/gen/example/v1"
	xnsv1 "github.com/cludden/protoc-gen-go-temporal/gen/example/xns/v1"
	acronymv1 "github.com/cludden/protoc-gen-go-temporal/gen/test/acronym/v1"
	"github.com/cludden/protoc-gen-go-temporal/gen/test/cliv3"
	"github.com/cludden/protoc-gen-go-temporal/gen/test/editions"
	issue125v1 "github.com/cludden/protoc-gen-go-temporal/gen/test/issue-125/v1"
	issue150v1 "github.com/cludden/protoc-gen-go-temporal/gen/test/issue-150/v1"
	"github.com/cludden/protoc-gen-go-temporal/gen/test/opaque"
	optionv1 "github.com/cludden/protoc-gen-go-temporal/gen/test/option/v1"
	"github.com/cludden/protoc-gen-go-temporal/gen/test/patch"
	"github.com/cludden/protoc-gen-go-temporal/gen/test/proto3optional"
	simplev1 "github.com/cludden/protoc-gen-go-temporal/gen/test/simple/v1"
	workerversioningv1 "github.com/cludden/protoc-gen-go-temporal/gen/test/workerversioning/v1"
	xnserrv1 "github.com/cludden/protoc-gen-go-temporal/gen/test/xnserr/v1"
	xnsheartbeatv1 "github.com/cludden/protoc-gen-go-temporal/gen/test/xnsheartbeat/v1"
	"go.temporal.io/sdk/client"

	gopeerv1 "protoc-gen-rust-temporal/tests/go-peer/gen/gopeer/v1"
)

// Clients maps the full name of every corpus service that has workflows to a
// constructor of its Go-generated client (New<Service>Client). The value
// returned is the generated <Service>Client interface, to be driven by
// reflection.
var Clients = map[string]func(client.Client) any{
	"gopeer.v1.Caller":                               func(c client.Client) any { return gopeerv1.NewCallerClient(c) },
	"gopeer.v1.Counter":                              func(c client.Client) any { return gopeerv1.NewCounterClient(c) },
	"gopeer.v1.Stamper":                              func(c client.Client) any { return gopeerv1.NewStamperClient(c) },
	"example.helloworld.v1.Example":                  func(c client.Client) any { return helloworldv1.NewExampleClient(c) },
	"example.mutex.v1.Example":                       func(c client.Client) any { return mutexv1.NewExampleClient(c) },
	"example.nexus.v1.EchoService":                   func(c client.Client) any { return nexusv1.NewEchoServiceClient(c) },
	"example.nexus.v1.GreetingService":               func(c client.Client) any { return nexusv1.NewGreetingServiceClient(c) },
	"example.schedule.v1.Example":                    func(c client.Client) any { return schedulev1.NewExampleClient(c) },
	"example.searchattributes.v1.Example":            func(c client.Client) any { return searchattributesv1.NewExampleClient(c) },
	"example.shoppingcart.v1.ShoppingCart":           func(c client.Client) any { return shoppingcartv1.NewShoppingCartClient(c) },
	"example.updatabletimer.v1.Example":              func(c client.Client) any { return updatabletimerv1.NewExampleClient(c) },
	"example.v1.Example":                             func(c client.Client) any { return examplev1.NewExampleClient(c) },
	"example.xns.v1.Example":                         func(c client.Client) any { return xnsv1.NewExampleClient(c) },
	"example.xns.v1.Xns":                             func(c client.Client) any { return xnsv1.NewXnsClient(c) },
	"issue_125.v1.Issue125Service":                   func(c client.Client) any { return issue125v1.NewIssue125ServiceClient(c) },
	"issue_150.v1.Issue150Service":                   func(c client.Client) any { return issue150v1.NewIssue150ServiceClient(c) },
	"mycompany.simple.Deprecated":                    func(c client.Client) any { return simplev1.NewDeprecatedClient(c) },
	"mycompany.simple.Ignored":                       func(c client.Client) any { return simplev1.NewIgnoredClient(c) },
	"mycompany.simple.Other":                         func(c client.Client) any { return simplev1.NewOtherClient(c) },
	"mycompany.simple.Simple":                        func(c client.Client) any { return simplev1.NewSimpleClient(c) },
	"test.acronym.v1.AWS":                            func(c client.Client) any { return acronymv1.NewAWSClient(c) },
	"test.cliv3.ExampleService":                      func(c client.Client) any { return cliv3.NewExampleServiceClient(c) },
	"test.editions.FooService":                       func(c client.Client) any { return editions.NewFooServiceClient(c) },
	"test.opaque.Hybrid":                             func(c client.Client) any { return opaque.NewHybridClient(c) },
	"test.opaque.Opaque":                             func(c client.Client) any { return opaque.NewOpaqueClient(c) },
	"test.opaque.Open":                               func(c client.Client) any { return opaque.NewOpenClient(c) },
	"test.opaque.Optional":                           func(c client.Client) any { return opaque.NewOptionalClient(c) },
	"test.option.v1.Test":                            func(c client.Client) any { return optionv1.NewTestClient(c) },
	"test.patch.FooService":                          func(c client.Client) any { return patch.NewFooServiceClient(c) },
	"test.proto3optional.FooService":                 func(c client.Client) any { return proto3optional.NewFooServiceClient(c) },
	"test.workerversioning.v1.Example":               func(c client.Client) any { return workerversioningv1.NewExampleClient(c) },
	"test.xnserr.v1.Client":                          func(c client.Client) any { return xnserrv1.NewClientClient(c) },
	"test.xnserr.v1.Server":                          func(c client.Client) any { return xnserrv1.NewServerClient(c) },
	"test.xnsheartbeat.v1.XnsHeartbeatCallerService": func(c client.Client) any { return xnsheartbeatv1.NewXnsHeartbeatCallerServiceClient(c) },
	"test.xnsheartbeat.v1.XnsHeartbeatService":       func(c client.Client) any { return xnsheartbeatv1.NewXnsHeartbeatServiceClient(c) },
}
