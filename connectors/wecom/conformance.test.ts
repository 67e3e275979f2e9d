import { describeConformance } from '../kit/conformance/index.js';
import { wecomConformanceHarness } from './conformance-harness.js';
import { wecomConnector } from './index.js';

/** The kit's conformance suite against the WeCom simulator, members listed with 获取成员ID列表 (the default). */
describeConformance({ definition: wecomConnector, harness: wecomConformanceHarness('list_id') });
