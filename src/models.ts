// This is a generated file. Modifications will be overwritten.
import { BaseModel, Dict, integer, Integer, Optional, transformValue } from '@amazon-web-services-cloudformation/cloudformation-cli-typescript-lib';
import { Exclude, Expose, Type, Transform } from 'class-transformer';

export class TypeConfigurationModel extends BaseModel {

    @Expose({ name: 'ExemptContainerNames' })
    @Transform(
        ({value, obj}) =>
            transformValue(String, 'exemptContainerNames', value, obj, [Array]),
        {
            toClassOnly: true,
        }
    )
    exemptContainerNames?: Optional<Array<string>>;
    @Expose({ name: 'ExemptImages' })
    @Transform(
        ({value, obj}) =>
            transformValue(String, 'exemptImages', value, obj, [Array]),
        {
            toClassOnly: true,
        }
    )
    exemptImages?: Optional<Array<string>>;

}

