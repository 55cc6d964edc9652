"""Real pasted logs that quote a function's response."""

# Excerpts of logs people pasted in public GitHub issues and READMEs (found with the project's
# search tool); kept as pasted, except where a credential-looking value was replaced.

# https://github.com/vincentsarago/lambda-proxy/issues/59 (REST test invoke, Python function)
VINCENT_LOG = """\
Wed Nov 02 10:19:35 UTC 2022 : Endpoint response body before transformations: {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": {"hey": "dude"}}
Wed Nov 02 10:19:35 UTC 2022 : Execution failed due to configuration error: Malformed Lambda proxy response
Wed Nov 02 10:19:35 UTC 2022 : Method completed with status: 502
"""

# https://github.com/michalkvasnicak/aws-lambda-graphql/pull/48 (WebSocket $disconnect returning nothing)
NULL_LOG = """\
Endpoint response body before transformations: null
Execution failed due to configuration error: Malformed Lambda proxy response
"""

# https://github.com/brefphp/bref/issues/587 (multiValueHeaders values that are not lists)
BREF_RESPONSE = """\
{
   "isBase64Encoded":false,
   "statusCode":200,
   "multiValueHeaders":{
      "x-powered-by":"PHP\\/7.3.7",
      "content-type":"text\\/html; charset=UTF-8"
   },
   "body":"..."
}
"""

# A public README of a CDK/Python test (three test invokes of one REST API, trimmed).
CDK_PYTHON_LOG = """\
Sat Mar 05 15:47:32 UTC 2022 : Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:009167579319:function:mini_hello_world/invocations
Sat Mar 05 15:47:32 UTC 2022 : Received response. Status: 200, Integration latency: 241 ms
Sat Mar 05 15:47:32 UTC 2022 : Endpoint response headers: {Date=Sat, 05 Mar 2022 15:47:32 GMT, Content-Type=application/json, Content-Length=107, Connection=keep-alive, x-amzn-RequestId=144f1a8c-1d4d-4044-91cf-7539c3bf6ba4, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST}
Sat Mar 05 15:47:32 UTC 2022 : Endpoint response body before transformations: {"statusCode": 200, "headers": {"Content-Type": "text/plain"}, "body": "Hello, CDK! You have hit /test1\\n"}
Sat Mar 05 15:47:32 UTC 2022 : Method response body after transformations: Hello, CDK! You have hit /test1
Sat Mar 05 15:47:32 UTC 2022 : Successfully completed execution
Sat Mar 05 15:47:32 UTC 2022 : Method completed with status: 200

Execution log for request ebc6434a-2151-4cfa-8889-38dffec3eced
Sat Mar 05 15:39:57 UTC 2022 : Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:009167579319:function:mini_some_text_handler/invocations
Sat Mar 05 15:39:58 UTC 2022 : Received response. Status: 200, Integration latency: 227 ms
Sat Mar 05 15:39:58 UTC 2022 : Endpoint response body before transformations: "hello from some_text_handler"
Sat Mar 05 15:39:58 UTC 2022 : Execution failed due to configuration error: Malformed Lambda proxy response
Sat Mar 05 15:39:58 UTC 2022 : Method completed with status: 502

Execution log for request b50a12c6-d619-4147-b2a2-bb5d42586463
Sat Mar 05 15:50:39 UTC 2022 : Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:009167579319:function:mini_test_static_content/invocations
Sat Mar 05 15:50:39 UTC 2022 : Received response. Status: 200, Integration latency: 433 ms
Sat Mar 05 15:50:39 UTC 2022 : Endpoint response headers: {Date=Sat, 05 Mar 2022 15:50:39 GMT, Content-Type=application/json, Content-Length=273, Connection=keep-alive, x-amzn-RequestId=c2fdeda4-0849-4da2-bc61-36a9ed8b698d, X-Amz-Function-Error=Unhandled, x-amzn-Remapped-Content-Length=0, X-Amz-Executed-Version=$LATEST}
Sat Mar 05 15:50:39 UTC 2022 : Endpoint response body before transformations: {"errorMessage": "'LambdaContext' object has no attribute 'succeed'", "errorType": "AttributeError", "requestId": "c2fdeda4-0849-4da2-bc61-36a9ed8b698d", "stackTrace": ["  File \\"/var/task/web.py\\", line 18, in example_static_content_handler\\n    context.succeed(html)\\n"]}
Sat Mar 05 15:50:39 UTC 2022 : Lambda execution failed with status 200 due to customer function error: 'LambdaContext' object has no attribute 'succeed'. Lambda request id: c2fdeda4-0849-4da2-bc61-36a9ed8b698d
Sat Mar 05 15:50:39 UTC 2022 : Method completed with status: 502
"""

# A public note on a Terraform-built API: the body runs into the next log line (pasted as is).
GLUED_LOG = (
    'Endpoint response body before transformations: {"statusCode": 301, "location": '
    '"https://blog.thomasnet.com/hs-fs/hubfs/shutterstock_774749455.jpg?width=1200&name='
    'shutterstock_774749455.jpg"}Execution failed due to configuration error: Malformed Lambda '
    "proxy response"
)

# Express behind a REST API, a successful call (public blog post source, trimmed).
EXPRESS_LOG = """\
Tue Aug 18 17:36:14 UTC 2020 : Sending request to https://lambda.eu-west-2.amazonaws.com/2015-03-31/functions/arn:aws:lambda:eu-west-2:664371068953:function:expressLambda-dev/invocations
Tue Aug 18 17:36:15 UTC 2020 : Received response. Status: 200, Integration latency: 137 ms
Tue Aug 18 17:36:15 UTC 2020 : Endpoint response body before transformations: {"statusCode":200,"body":"{\\"success\\":\\"get call succeed!\\",\\"url\\":\\"/todos?limit=10\\"}","headers":{"x-powered-by":"Express","access-control-allow-origin":"*","access-control-allow-headers":"Origin, X-Requested-With, Content-Type, Accept","content-type":"application/json; charset=utf-8","content-length":"55","date":"Tue, 18 Aug 2020 17:36:14 GMT","connection":"close"},"isBase64Encoded":false}
Tue Aug 18 17:36:15 UTC 2020 : Method response body after transformations: {"success":"get call succeed!","url":"/todos?limit=10"}
Tue Aug 18 17:36:15 UTC 2020 : Successfully completed execution
Tue Aug 18 17:36:15 UTC 2020 : Method completed with status: 200
"""

# Lambda throttled (reserved concurrency): Lambda's own error, logged as the endpoint body
# (a public README, indented as pasted). Not the function's response.
THROTTLED_LOG = """\
    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Sending request to https://lambda.us-east-1.amazonaws.com/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:lambda-ngrok-dev-hello/invocations
    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Received response. Integration latency: 5 ms
    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Endpoint response body before transformations:
    {
        "Reason": "ReservedFunctionConcurrentInvocationLimitExceeded",
        "Type": "User",
        "message": "Rate Exceeded."
    }

    (a5e3de30-8d59-11e8-b2f5-9339f1c001b0) Endpoint response headers: {Connection=keep-alive, x-amzn-RequestId=a5e453c2-8d59-11e8-bf58-f5dde8cf91a3, x-amzn-ErrorType=TooManyRequestsException, Content-Length=104, Date=Sun, 22 Jul 2018 02:48:00 GMT, Content-Type=application/json}
"""

# An SQS integration (public issue): an endpoint body that no Lambda function wrote.
SQS_LOG = """\
Sun Oct 15 13:41:13 UTC 2023 : Sending request to https://sqs.eu-west-1.amazonaws.com/565245842699/CdkQueueBasedLoadLevelingApiStack-queue276F7297-mGo7HiEGAALF
Sun Oct 15 13:41:13 UTC 2023 : Received response. Status: 403, Integration latency: 2 ms
Sun Oct 15 13:41:13 UTC 2023 : Endpoint response body before transformations: {"Error":{"Code":"AccessDenied","Message":"Access to the resource is denied.","Type":"Sender"},"RequestId":"e5c86bb5-46c3-5659-801a-3610a8fa4b32"}
Sun Oct 15 13:41:13 UTC 2023 : Method completed with status: 500
"""

# A test invoke whose body API Gateway cut at 1 KB (public workshop README); the presigned URL's
# credentials are replaced with X, the shape and the " [TRUNCATED]" suffix are as logged.
TRUNCATED_LOG = (
    "Wed Mar 05 06:43:33 UTC 2025 : Received response. Status: 200, Integration latency: 16206 ms\n"
    'Wed Mar 05 06:43:33 UTC 2025 : Endpoint response body before transformations: {"statusCode": 200, '
    '"body": "{\\"url\\": \\"https://bog-images-meet-7.s3.amazonaws.com/image-gen-eval/e1fk3l2fhe.png?'
    "AWSAccessKeyId=XXXXXXXXXXXXXXXXXXXX&Signature=XXXXXXXX&x-amz-security-token="
    + "X"
    * 760
    + " [TRUNCATED]\n"
    "Wed Mar 05 06:43:33 UTC 2025 : Successfully completed execution\n"
    "Wed Mar 05 06:43:33 UTC 2025 : Method completed with status: 200\n"
)

# https://github.com/aws/aws-sam-cli/issues/1398 (sam local start-api, Python repr of the response)
SAM_EXTRA_KEY = (
    "Invalid API Gateway Response Keys: {'error'} in {'statusCode': 200, 'body': "
    "{'myExpectedContentHere'}, 'headers': {'Access-Control-Allow-Origin': '*'}, 'error': None}"
)

# A public blog post: a Go binary without read/execute permission, under sam local start-api.
SAM_GO_PERMISSION = """\
START RequestId: cbfb1ed4-fda5-496c-a9c7-c59e2658862a Version: $LATEST
fork/exec /var/task/profile: permission denied: PathError
null
END RequestId: cbfb1ed4-fda5-496c-a9c7-c59e2658862a
2020-12-03 19:09:09,022 | Lambda returned empty body!
2020-12-03 19:09:09,022 | Invalid lambda response received: Invalid API Gateway Response Keys: {'errorMessage', 'errorType'} in {'errorMessage': 'fork/exec /var/task/profile: permission denied', 'errorType': 'PathError'}
2020-12-03 19:09:09 127.0.0.1 - - [03/Dec/2020 19:09:09] "GET /profiles HTTP/1.1" 502 -
"""

# https://github.com/micronaut-projects/micronaut-aws/issues/544 (Java POJO: base64Encoded)
SAM_JAVA = """\
Invoking com.example.ProxyHandler (java11)
Invalid lambda response received: Invalid API Gateway Response Keys: {'base64Encoded'} in {'statusCode': 200, 'multiValueHeaders': {'Content-Type': ['application/json']}, 'body': '{"name":"foo","isbn":"32d63efa-fe08-409b-a5d2-9105586f1770"}', 'base64Encoded': False}
2020-09-27 10:31:22 127.0.0.1 - - [27/Sep/2020 10:31:22] "POST /book HTTP/1.1" 502 -
"""

# https://github.com/aws/aws-sam-cli/issues/964 (older sam local; a Node.js handler returning an array)
SAM_ARRAY = """\
 Function returned an invalid response (must include one of: body, headers or statusCode in the response object). Response received: [
        {"key":"jsandjsnckads","name":"name1"}, 
        {"key":"asjncjaNCJKndsc","name":"name2"}
    ]
"""
