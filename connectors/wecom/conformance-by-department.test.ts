import { describeConformance } from '../kit/conformance/index.js';
import { wecomConformanceHarness } from './conformance-harness.js';
import { wecomConnector } from './index.js';

/** The kit's conformance suite against the WeCom simulator, members listed with 获取部门成员详情 per department. */
describeConformance({ definition: wecomConnector, harness: wecomConformanceHarness('department') });
